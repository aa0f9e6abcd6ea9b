/**
 * The README tour and the guides' runnable examples (marked `<!-- run -->`, see run-blocks.ts) run
 * against the kit's built-in model and print what their `// prints:` comments (and so the prose) say.
 */

import { readdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponsesHandler, mockModel, type RunningServer, serve } from "../../src/server/index.js";
import { runBlock, runnableBlocks } from "./run-blocks.js";

const ROOT = resolve(import.meta.dirname, "../..");
const files = [
  "README.md",
  ...readdirSync(resolve(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
]
  .sort()
  .map((path) => ({ path, text: readFileSync(resolve(ROOT, path), "utf8") }));
const blocks = runnableBlocks(files);

let server: RunningServer;
const saved = process.env.OPENRESPONSES_BASE_URL;

beforeAll(async () => {
  server = await serve({ handler: createResponsesHandler({ model: mockModel() }), port: 0 });
  process.env.OPENRESPONSES_BASE_URL = `${server.url}/v1`;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.OPENRESPONSES_BASE_URL;
  else process.env.OPENRESPONSES_BASE_URL = saved;
  await server?.close();
  rmSync(resolve(ROOT, "test/docs/.run"), { recursive: true, force: true });
});

describe("runnable documentation blocks print what they promise", () => {
  it("the README tour and the guides mark their runnable blocks", () => {
    const where = new Set(blocks.map((block) => block.file));
    for (const file of ["README.md", "docs/client.md", "docs/streaming.md"]) expect(where).toContain(file);
    // A runnable block that promises nothing checks only that it does not throw: each must promise.
    for (const block of blocks) expect(block.prints, `${block.file}:${block.line}`).not.toHaveLength(0);
  });

  for (const block of blocks) {
    it(`${block.file}:${block.line}`, async () => {
      const printed = await runBlock(block, server.url);
      let from = 0;
      for (const promise of block.prints) {
        const at = printed.indexOf(promise, from);
        expect(
          at,
          `${block.file}:${block.line} should print ${JSON.stringify(promise)}; printed:\n${printed}`,
        ).toBeGreaterThanOrEqual(0);
        from = at + promise.length;
      }
    }, 60_000);
  }
});
