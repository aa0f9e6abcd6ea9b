/**
 * Runtime guards for the type model: the type-level test must import every component name (so a new
 * schema in openapi.json cannot be forgotten), and the runtime helpers of the type model behave.
 */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  HOSTED_TOOL_ITEM_TYPES,
  isExtensionType,
  type OutputItem,
  outputText,
  type ResponseResource,
  schemaNames,
} from "../../src/index.js";
import { describeWith, loadOpenAPI, needs } from "../support/needs.js";

/** The names imported by the first `import type { ... }` block of types.test-d.ts. */
function namesImportedByTypeTest(): string[] {
  const source = readFileSync(resolve(import.meta.dirname, "types.test-d.ts"), "utf8");
  const block = /import type \{([^}]*)\} from "\.\.\/\.\.\/src\/index\.js"/.exec(source);
  if (!block?.[1]) throw new Error("types.test-d.ts has no `import type { ... }` block from the entry");
  return block[1]
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("//"))
    .map((line) => line.replace(/,$/, ""));
}

/** The one component exported under another name: `Error` would shadow the global `Error`. */
const EXPORTED_AS: Readonly<Record<string, string>> = { Error: "ResponseError" };

describeWith(needs.sharedSpec(), "the 108 component names", () => {
  const specNames = Object.keys(loadOpenAPI()?.components.schemas ?? {});

  it("the type-level test imports exactly the specification's component names (Error as ResponseError)", () => {
    expect(specNames).toHaveLength(108);
    const exported = specNames.map((name) => EXPORTED_AS[name] ?? name);
    expect(namesImportedByTypeTest().sort()).toEqual(exported.sort());
  });

  it("schemaNames (runtime) lists exactly the specification's component names, in order", () => {
    expect([...schemaNames]).toEqual(specNames);
  });
});

describe("isExtensionType", () => {
  it("X1: provider-prefixed types are extensions", () => {
    expect(isExtensionType("acme:search_result")).toBe(true);
    expect(isExtensionType("acme:trace_event")).toBe(true);
  });

  it("un-prefixed hosted-tool items and their events are extensions", () => {
    for (const type of HOSTED_TOOL_ITEM_TYPES) expect(isExtensionType(type)).toBe(true);
    expect(isExtensionType("response.web_search_call.searching")).toBe(true);
    expect(isExtensionType("response.code_interpreter_call_code.delta")).toBe(true);
    expect(isExtensionType("response.mcp_call.in_progress")).toBe(true);
  });

  it("standard item, content and event types are not extensions", () => {
    for (const type of [
      "message",
      "function_call",
      "function_call_output",
      "reasoning",
      "compaction",
      "item_reference",
      "output_text",
      "input_text",
      "response.output_text.delta",
      "response.function_call_arguments.delta",
      "response.completed",
      "error",
    ]) {
      expect(isExtensionType(type), type).toBe(false);
    }
  });

  it("a bare or dangling colon is not a provider prefix", () => {
    expect(isExtensionType(":x")).toBe(false);
    expect(isExtensionType("acme:")).toBe(false);
    expect(isExtensionType("web_search_call_extra")).toBe(false);
  });
});

describe("outputText", () => {
  const message = (role: string, ...texts: string[]): OutputItem =>
    ({
      type: "message",
      id: `msg_${role}`,
      status: "completed",
      role,
      content: texts.map((text) => ({ type: "output_text", text, annotations: [] })),
    }) as OutputItem;

  it("concatenates the output_text parts of assistant messages, in order", () => {
    const response = {
      output: [
        { type: "reasoning", id: "rs_1", summary: [] },
        message("assistant", "Hello, ", "world"),
        { type: "acme:search_result", id: "sr_1", status: "completed", text: "not text output" },
        message("assistant", "!"),
      ],
    } satisfies Pick<ResponseResource, "output">;
    expect(outputText(response)).toBe("Hello, world!");
  });

  it("skips refusals and non-assistant messages", () => {
    const refusal: OutputItem = {
      type: "message",
      id: "m",
      status: "completed",
      role: "assistant",
      content: [{ type: "refusal", refusal: "no" }],
    };
    expect(outputText({ output: [refusal, message("user", "echoed input")] })).toBe("");
  });

  it("tolerates odd shapes from lenient servers instead of throwing", () => {
    expect(outputText({})).toBe("");
    expect(outputText({ output: null })).toBe("");
    expect(outputText({ output: [null, 3, { type: "message" }, { type: "message", content: [null] }] })).toBe(
      "",
    );
    expect(
      outputText({ output: [{ type: "message", content: [{ type: "output_text", text: "no role" }] }] }),
    ).toBe("no role");
  });
});
