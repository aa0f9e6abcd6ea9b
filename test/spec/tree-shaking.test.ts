/**
 * The client core must stay small: a bundle that builds requests and reads responses but never validates
 * must not carry the validator or the schemas (the requirement on a schema library). esbuild is
 * what tsup bundles with, so it is the bundler used here.
 */

import { resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
/** Strings that exist only in the runtime schemas and in the validator. */
const SCHEMA_MARKER = "x-openresponses-disallowed";
const VALIDATOR_MARKER = "must not be sent here";

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: "entry.ts", loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    treeShaking: true,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

describe("tree-shaking", () => {
  it("builders, aliases and extension helpers leave the validator and the schemas out", async () => {
    const code = await bundle(`
      import { userMessage, functionTool, inputFile, functionCallOutput } from "./src/builders/index.ts";
      import { outputText, isExtensionType } from "./src/spec/index.ts";
      console.log(userMessage("hi"), functionTool({ name: "f" }), inputFile({ url: "u" }), functionCallOutput("c", 1));
      console.log(outputText({ output: [] }), isExtensionType("acme:x"));
    `);
    expect(code).toContain("function_call_output");
    expect(code).not.toContain(SCHEMA_MARKER);
    expect(code).not.toContain(VALIDATOR_MARKER);
  }, 20_000);

  it("the package entry, client included, leaves them out when nothing validates", async () => {
    const code = await bundle(`
      import { OpenResponses, userMessage } from "./src/index.ts";
      console.log(new OpenResponses({ baseURL: "http://127.0.0.1:1", apiKey: "k" }), userMessage("hi"));
    `);
    expect(code).not.toContain(SCHEMA_MARKER);
    expect(code).not.toContain(VALIDATOR_MARKER);
  }, 20_000);

  it("a bundle that validates carries both (so the checks above can fail)", async () => {
    const code = await bundle(`
      import { validate } from "./src/spec/index.ts";
      console.log(validate("CreateResponseBody", {}));
    `);
    expect(code).toContain(SCHEMA_MARKER);
    expect(code).toContain(VALIDATOR_MARKER);
  }, 20_000);
});
