import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CheckResult,
  type CodeBlock,
  ENTRY_POINTS,
  extractCodeBlocks,
  type MarkdownFile,
  typecheckBlocks,
} from "./code-blocks.js";

const ROOT = resolve(import.meta.dirname, "../..");

function documentation(): MarkdownFile[] {
  const docs = readdirSync(resolve(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs].map((path) => ({ path, text: readFileSync(resolve(ROOT, path), "utf8") }));
}

// Small documents that show the checker catches what it must; checked in the same Program as the docs.
const FIXTURES: MarkdownFile[] = [
  {
    path: "fixture/broken.md",
    text: [
      "# A guide",
      "",
      "```ts",
      'import { OpenResponses } from "openresponses";',
      "const client = new OpenResponses();",
      "const n: number = client.responses;",
      "```",
    ].join("\n"),
  },
  {
    path: "fixture/unknown-export.md",
    text: ["```typescript", 'import { NoSuchThing } from "openresponses";', "NoSuchThing;", "```"].join("\n"),
  },
  {
    path: "fixture/exact-optional.md",
    text: [
      "```ts",
      "interface Options { timeout?: number }",
      "declare const maybe: number | undefined;",
      "const options: Options = { timeout: maybe };",
      "```",
    ].join("\n"),
  },
  {
    path: "fixture/fine.md",
    text: [
      "```ts",
      'import { OpenResponses } from "openresponses";',
      'import { mockModel } from "openresponses/server";',
      "const client = new OpenResponses();",
      'const response = await client.responses.create({ model: "m", input: "hi" });',
      "console.log(response.output_text, mockModel);",
      "```",
      "",
      "The same names again, in a block of their own:",
      "",
      "```ts",
      "const client = 1;",
      "const response = client + 1;",
      "```",
      "",
      "<!-- typecheck: skip a fragment, on purpose -->",
      "```ts",
      "this is not TypeScript",
      "```",
    ].join("\n"),
  },
  {
    path: "fixture/markers.md",
    text: [
      "<!-- typecheck: skip -->",
      "```ts",
      "const a = 1;",
      "```",
      "",
      "<!-- typecheck: skip a reason, but no block follows -->",
      "Some prose.",
      "",
      "<!-- typecheck: ignore -->",
    ].join("\n"),
  },
];

const docs = documentation();
const fixturePaths = new Set(FIXTURES.map((file) => file.path));
const extraction = extractCodeBlocks([...docs, ...FIXTURES]);
const docBlocks = extraction.blocks.filter((block) => !fixturePaths.has(block.file));
let result: CheckResult;

beforeAll(() => {
  result = typecheckBlocks(ROOT, extraction.blocks);
}, 120_000);

function errorsOf(block: CodeBlock | undefined): string[] {
  if (!block) throw new Error("no such block");
  const errors = result.errors.get(block);
  if (!errors) throw new Error(`${block.file}:${block.line} was not checked`);
  return errors;
}

function fixtureBlocks(path: string): CodeBlock[] {
  return extraction.blocks.filter((block) => block.file === path);
}

describe("every ```ts block in README.md and docs/*.md compiles (strict, exactOptionalPropertyTypes)", () => {
  it("finds the blocks of README.md and of the guides", () => {
    expect(docBlocks.some((block) => block.file === "README.md")).toBe(true);
    expect(docBlocks.some((block) => block.file.startsWith("docs/"))).toBe(true);
  });

  it("the compiler setup has no error, and the package names resolve to the source", () => {
    expect(result.setup).toEqual([]);
    for (const [name, path] of Object.entries(ENTRY_POINTS)) {
      expect(result.resolved[name], name).toBe(resolve(ROOT, path));
    }
  });

  it("typecheck markers are well formed in the documentation", () => {
    expect(extraction.problems.filter((problem) => !problem.startsWith("fixture/"))).toEqual([]);
  });

  for (const block of docBlocks) {
    if (block.skip !== undefined) continue;
    it(`${block.file}:${block.line}`, () => {
      expect(errorsOf(block)).toEqual([]);
    });
  }
});

describe("the code-block checker", () => {
  it("names the file, the line and the TypeScript error of a block that does not compile", () => {
    const errors = errorsOf(fixtureBlocks("fixture/broken.md")[0]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^fixture\/broken\.md:6 \(block at line 3\): TS2322 /);
  });

  it("checks imports against the real exports of the source", () => {
    const errors = errorsOf(fixtureBlocks("fixture/unknown-export.md")[0]);
    expect(errors.join("\n")).toMatch(/TS2305 .*NoSuchThing/);
  });

  it("compiles under exactOptionalPropertyTypes", () => {
    const errors = errorsOf(fixtureBlocks("fixture/exact-optional.md")[0]);
    expect(errors.join("\n")).toMatch(/TS2375 /);
  });

  it("accepts top-level await, lets blocks reuse names, and skips a marked block", () => {
    const [first, second, skipped] = fixtureBlocks("fixture/fine.md");
    expect(errorsOf(first)).toEqual([]);
    expect(errorsOf(second)).toEqual([]);
    expect(skipped?.skip).toBe("a fragment, on purpose");
    expect(skipped && result.errors.has(skipped)).toBe(false);
  });

  it("rejects a skip marker without a reason, a marker with no block after it, and unknown markers", () => {
    const problems = extraction.problems.filter((problem) => problem.startsWith("fixture/markers.md"));
    expect(problems).toEqual([
      "fixture/markers.md:1: a typecheck skip marker needs a reason",
      "fixture/markers.md:6: a typecheck skip marker must be right before a ```ts block",
      'fixture/markers.md:9: unknown typecheck marker (only "typecheck: skip <reason>")',
    ]);
    const [unmarked] = fixtureBlocks("fixture/markers.md");
    expect(unmarked?.skip).toBeUndefined();
  });
});
