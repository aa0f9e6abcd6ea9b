/**
 * Every rule id the repository cites resolves to a heading of docs/rules.md, the page that states the
 * rules in this project's words; a reader who meets `W4` in a test name can always look it up.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { anchorsOf } from "./markdown-links.js";
import { citationsOf, filesUnder, RULE_FAMILIES, unresolvedCitations } from "./rule-ids.js";

const ROOT = resolve(import.meta.dirname, "../..");
const RULES = readFileSync(resolve(ROOT, "docs/rules.md"), "utf8");
const ANCHORS = anchorsOf(RULES);
// This file cites ids that do not exist on purpose (to test the scanner), so it is left out.
const SELF = "test/docs/rule-ids.test.ts";

const SCANNED = [
  ...["src", "test", "docs", "examples", "bench", "scripts"]
    .filter((directory) => existsSync(resolve(ROOT, directory)))
    .flatMap((directory) => filesUnder(ROOT, directory)),
  "README.md",
].filter((path) => path !== SELF);

describe("rule ids resolve in docs/rules.md", () => {
  it("every id cited in src/, test/, the docs, examples/, bench/ and scripts/ has a heading there", () => {
    expect(unresolvedCitations(ROOT, SCANNED, ANCHORS)).toEqual([]);
  });

  it("the scan covers the code and finds the ids it cites", () => {
    expect(SCANNED).toContain("src/streaming/protocol-checker.ts");
    expect(SCANNED).toContain("test/docs/links.test.ts");
    const cited = new Set(SCANNED.flatMap((path) => citationsOf(readFileSync(resolve(ROOT, path), "utf8"))));
    expect(cited.size).toBeGreaterThan(400);
  });

  it("each rule of docs/rules.md is a heading of its own id, under its family", () => {
    const headings = [...RULES.matchAll(/^### (\S+)$/gm)].map((match) => match[1] ?? "");
    expect(headings.length).toBeGreaterThanOrEqual(37);
    for (const id of headings) {
      expect(id).toMatch(/^[HSWIXEP]\d{1,2}$/);
      expect(RULE_FAMILIES).toContain(id.charAt(0));
      expect(ANCHORS.has(id.toLowerCase())).toBe(true);
    }
    expect(new Set(headings).size).toBe(headings.length);
  });
});

describe("the rule-id scanner", () => {
  const ids = (text: string) => citationsOf(text).map((citation) => citation.id);

  it("finds ids in test names, comments and prose, with their line", () => {
    expect(citationsOf('it("S6: output_item.added comes first")\n// (W4)')).toEqual([
      { line: 1, id: "S6", text: "S6" },
      { line: 2, id: "W4", text: "W4" },
    ]);
    expect(ids("rules X1/X2, then E1 and P4; `H2`.")).toEqual(["X1", "X2", "E1", "P4", "H2"]);
  });

  it("expands ranges, with or without the second letter", () => {
    expect(ids("S4–S9")).toEqual(["S4", "S5", "S6", "S7", "S8", "S9"]);
    expect(ids("W1—W3 and H1-3")).toEqual(["W1", "W2", "W3", "H1", "H2", "H3"]);
    expect(citationsOf("(S1–S3)")[2]).toEqual({ line: 1, id: "S3", text: "S1–S3" });
  });

  it("leaves out what only looks like an id", () => {
    const notIds = [
      "E2E tests",
      "0xE1 and #E1E1E1",
      "expectE1(json)",
      "/^[a-zA-Z0-9_-]+$/",
      "ES2022 and TS2322",
      "then<R1, R2>",
      "2026-01-01T00:00:00Z",
      "version S1.5",
      "a P1-2024 date",
      "W3C and H264",
    ];
    for (const text of notIds) expect(ids(text), text).toEqual([]);
  });

  it("reports an id without a heading, naming the file and the line", () => {
    const unresolved = citationsOf("fine: S6\nbroken: S12 and Q7\nrange: W8–W10").filter(
      (citation) => !ANCHORS.has(citation.id.toLowerCase()),
    );
    expect(unresolved).toEqual([
      { line: 2, id: "S12", text: "S12" },
      { line: 3, id: "W10", text: "W8–W10" },
    ]);
    const root = mkdtempSync(join(tmpdir(), "rule-ids-"));
    try {
      writeFileSync(join(root, "a.ts"), "// S6\n// X2 and S10\n/** S1–S3, P4–P7 */\n");
      expect(unresolvedCitations(root, ["a.ts"], ANCHORS)).toEqual([
        "a.ts:2: S10",
        'a.ts:3: P6 (in "P4–P7")',
        'a.ts:3: P7 (in "P4–P7")',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
