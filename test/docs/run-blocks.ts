/**
 * Runs the code blocks of the documentation that are marked runnable, against the kit's built-in model
 * in this process, and reads what they print. A block is runnable when the line before its fence is
 * `<!-- run -->`; each comment ending in `prints: TEXT` (`// prints: TEXT`, or `// ...; prints: TEXT`) promises that TEXT appears in what the block
 * prints, in the order of the comments. The prose's promise is thus checked, not only its types.
 *
 * A block runs as a module of its own, with these rewrites (and nothing else):
 * - `"openresponses"` and `"openresponses/server"` name this repository's source;
 * - `http://localhost:8080` (and `http://127.0.0.1:8080`) names the test server (`port: 8080` becomes `port: 0`, so a block that
 *   starts its own server gets a free port, and such a block's `server` is closed after it).
 * `new OpenResponses()` without a `baseURL` finds the test server through `OPENRESPONSES_BASE_URL`.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import type { MarkdownFile } from "./code-blocks.js";

const ROOT = resolve(import.meta.dirname, "../..");
const RUN_MARKER = /^\s*<!--\s*run\s*-->\s*$/;
const FENCE = /^\s*```(ts|typescript)\s*$/;
const PRINTS = /\/\/.*?\bprints: (.+)$/gm;

export interface RunnableBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** What the block promises to print, in order. */
  prints: string[];
}

export function runnableBlocks(files: readonly MarkdownFile[]): RunnableBlock[] {
  const blocks: RunnableBlock[] = [];
  for (const file of files) {
    const lines = file.text.split(/\r?\n/);
    for (let index = 0; index < lines.length; index++) {
      if (!RUN_MARKER.test(lines[index] ?? "")) continue;
      let fence = index + 1;
      while (fence < lines.length && (lines[fence] ?? "").trim() === "") fence++;
      if (!FENCE.test(lines[fence] ?? ""))
        throw new Error(`${file.path}:${index + 1}: <!-- run --> not before a ts block`);
      let end = fence + 1;
      while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? "")) end++;
      const code = lines.slice(fence + 1, end).join("\n");
      const prints = [...code.matchAll(PRINTS)].map((match) => (match[1] ?? "").trim());
      blocks.push({ file: file.path, line: fence + 1, code, prints });
    }
  }
  return blocks;
}

/** The block as a module that runs here against `serverURL` (no trailing slash, no `/v1`). */
export function rewrite(code: string, serverURL: string): string {
  const entry = pathToFileURL(resolve(ROOT, "src/index.ts")).href;
  const server = pathToFileURL(resolve(ROOT, "src/server/index.ts")).href;
  let out = code
    .replaceAll('from "openresponses/server"', `from ${JSON.stringify(server)}`)
    .replaceAll('from "openresponses"', `from ${JSON.stringify(entry)}`)
    .replaceAll("http://localhost:8080", serverURL)
    .replaceAll("http://127.0.0.1:8080", serverURL)
    .replaceAll("port: 8080", "port: 0");
  if (/\bconst server = await serve\(/.test(out)) out += "\nawait server.close();\n";
  return `${out}\nexport {};\n`;
}

/** Runs one block and returns what it printed (console.log and process.stdout.write, in order). */
export async function runBlock(block: RunnableBlock, serverURL: string): Promise<string> {
  const dir = resolve(ROOT, "test/docs/.run");
  mkdirSync(dir, { recursive: true });
  const name = `${block.file.replace(/[^\w]+/g, "_")}_${block.line}.ts`;
  const path = resolve(dir, name);
  writeFileSync(path, rewrite(block.code, serverURL));
  const printed: string[] = [];
  const log = console.log;
  const write = process.stdout.write;
  console.log = (...args: unknown[]) => {
    printed.push(`${format(...args)}\n`);
  };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  try {
    await import(`${pathToFileURL(path).href}?t=${Date.now()}`);
  } finally {
    console.log = log;
    process.stdout.write = write;
  }
  return printed.join("");
}
