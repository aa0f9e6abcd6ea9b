/**
 * Finding the rule ids the code cites (`S6`, `W4`, `S4–S9`), so that a test can prove each one is defined
 * in docs/rules.md. The pattern is narrow on purpose: a family letter the specification uses, one or two
 * digits, and nothing word-like on either side, so `E2E`, `0xE1`, `expectE1`, `a-zA-Z0-9` or `ES2022`
 * are not ids.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";

/** The families of docs/rules.md: HTTP, Streaming, WebSocket, Items, eXtensions, Errors, request semantics (P). */
export const RULE_FAMILIES = ["H", "S", "W", "I", "X", "E", "P"] as const;

export interface RuleCitation {
  /** 1-based line of the citation. */
  line: number;
  /** One id, `S6`; a range is expanded into one citation per id. */
  id: string;
  /** What was written: `S6`, or the whole range `S4–S9`. */
  text: string;
}

// A family letter and a number, optionally a range to a second number of the same family (`S4–S9`,
// `S4-9`). Not after a letter, digit, `_`, `-` or `$` (an identifier, a character class, a hex literal),
// not before one, and not before `.5` or `-3` (a version, a date).
const CITATION = /(?<![\w$-])([HSWIXEP])(\d{1,2})(?:(?:–|—|-|\.\.)\1?(\d{1,2}))?(?![\w$]|[.,]\d|-\d)/g;

/** Every rule id cited in `text`, ranges expanded, in order of appearance. */
export function citationsOf(text: string): RuleCitation[] {
  const found: RuleCitation[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    for (const match of content.matchAll(CITATION)) {
      const [written, family = "", first = "", last] = match;
      const from = Number(first);
      const to = last === undefined ? from : Number(last);
      for (let n = Math.min(from, to); n <= Math.max(from, to); n++) {
        found.push({ line: index + 1, id: `${family}${n}`, text: written });
      }
    }
  });
  return found;
}

const SCANNED_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".md", ".json"]);
const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", "api", "coverage"]);

/** The text files under `directory` (relative to `root`), sorted, without dependencies or build output. */
export function filesUnder(root: string, directory: string): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith(".") || SKIPPED_DIRECTORIES.has(name)) continue;
      const child = join(path, name);
      if (statSync(child).isDirectory()) walk(child);
      else if (SCANNED_EXTENSIONS.has(extname(name))) files.push(relative(root, child));
    }
  };
  walk(join(root, directory));
  return files;
}

/** Each citation in `files` whose id is not in `defined`, as `path:line: id (written "...")`. */
export function unresolvedCitations(root: string, files: string[], defined: ReadonlySet<string>): string[] {
  const unresolved: string[] = [];
  for (const path of files) {
    for (const { line, id, text } of citationsOf(readFileSync(join(root, path), "utf8"))) {
      if (!defined.has(id.toLowerCase())) {
        unresolved.push(`${path}:${line}: ${id}${text === id ? "" : ` (in "${text}")`}`);
      }
    }
  }
  return unresolved;
}
