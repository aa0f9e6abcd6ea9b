import { describe, expect, it } from "vitest";
import {
  assistantMessage,
  type CreateResponseBody,
  developerMessage,
  functionCall,
  functionCallOutput,
  inputFile,
  inputImage,
  inputText,
  inputVideo,
  itemReference,
  SpecValidationError,
  systemMessage,
  userMessage,
  validate,
} from "../../src/index.js";

/** Every builder output must be a valid input item, and valid inside a request body. */
function expectValidItem(item: unknown): void {
  expect(validate("ItemParam", item)).toEqual({ valid: true });
  const body: CreateResponseBody = { model: "m", input: [item as never] };
  expect(validate("CreateResponseBody", body)).toEqual({ valid: true });
}

describe("message builders (I1)", () => {
  it("userMessage with a string", () => {
    const item = userMessage("Hello");
    expect(item).toEqual({ type: "message", role: "user", content: "Hello" });
    expectValidItem(item);
  });

  it("userMessage with content parts, strings becoming input_text (I3)", () => {
    const item = userMessage([
      "What is in this image?",
      inputImage("https://example.com/cat.png", { detail: "low" }),
    ]);
    expect(item.content).toEqual([
      { type: "input_text", text: "What is in this image?" },
      { type: "input_image", image_url: "https://example.com/cat.png", detail: "low" },
    ]);
    expectValidItem(item);
  });

  it("userMessage with a file part and an explicit id", () => {
    const item = userMessage([inputText("Summarise"), inputFile({ url: "https://example.com/a.pdf" })], {
      id: "msg_1",
    });
    expect(item.id).toBe("msg_1");
    expectValidItem(item);
  });

  it("systemMessage and developerMessage take a string or input_text parts", () => {
    for (const build of [systemMessage, developerMessage]) {
      const plain = build("Be brief.");
      const parts = build(["Be brief.", inputText("Answer in French.")]);
      expect(plain.content).toBe("Be brief.");
      expect(parts.content).toEqual([
        { type: "input_text", text: "Be brief." },
        { type: "input_text", text: "Answer in French." },
      ]);
      expectValidItem(plain);
      expectValidItem(parts);
    }
    expect(systemMessage("x").role).toBe("system");
    expect(developerMessage("x").role).toBe("developer");
  });

  it("assistantMessage with a string, parts and no phase", () => {
    const plain = assistantMessage("Sure.");
    expect(plain).toEqual({ type: "message", role: "assistant", content: "Sure." });
    expect("phase" in plain).toBe(false);
    const parts = assistantMessage(["Part one", { type: "refusal", refusal: "Not that." }]);
    expect(parts.content).toEqual([
      { type: "output_text", text: "Part one" },
      { type: "refusal", refusal: "Not that." },
    ]);
    expectValidItem(plain);
    expectValidItem(parts);
  });

  it("I4: assistantMessage carries phase", () => {
    const commentary = assistantMessage("Let me check.", { phase: "commentary" });
    const final = assistantMessage("It is 12 °C.", { phase: "final_answer", id: "msg_2" });
    expect(commentary.phase).toBe("commentary");
    expect(final).toEqual({
      type: "message",
      role: "assistant",
      content: "It is 12 °C.",
      phase: "final_answer",
      id: "msg_2",
    });
    expectValidItem(commentary);
    expectValidItem(final);
  });

  it("I4: rejects an unknown phase with a typed error", () => {
    expect(() => assistantMessage("x", { phase: "draft" as "commentary" })).toThrow(SpecValidationError);
    expect(() => assistantMessage("x", { phase: "draft" as "commentary" })).toThrow(
      /phase: must be "commentary"/,
    );
  });

  it("rejects content that is neither a string nor an array", () => {
    expect(() => userMessage(42 as unknown as string)).toThrow(/Invalid UserMessageItemParam: content/);
    expect(() => assistantMessage({} as unknown as string)).toThrow(SpecValidationError);
  });
});

describe("itemReference", () => {
  it("builds an item_reference", () => {
    const item = itemReference("msg_123");
    expect(item).toEqual({ type: "item_reference", id: "msg_123" });
    expectValidItem(item);
  });

  it("rejects an empty id", () => {
    expect(() => itemReference("")).toThrow(/Invalid ItemReferenceParam: id: must be a non-empty string/);
  });
});

describe("functionCallOutput (P4)", () => {
  it("sends a string as is", () => {
    const item = functionCallOutput("call_1", "22 degrees");
    expect(item).toEqual({ type: "function_call_output", call_id: "call_1", output: "22 degrees" });
    expectValidItem(item);
  });

  it("serialises an object, a number, a boolean, null and a plain array to JSON", () => {
    expect(functionCallOutput("c", { temperature: 22, unit: "C" }).output).toBe(
      '{"temperature":22,"unit":"C"}',
    );
    expect(functionCallOutput("c", 3).output).toBe("3");
    expect(functionCallOutput("c", false).output).toBe("false");
    expect(functionCallOutput("c", null).output).toBe("null");
    expect(functionCallOutput("c", [1, 2]).output).toBe("[1,2]");
    expect(functionCallOutput("c", []).output).toBe("[]");
    expectValidItem(functionCallOutput("c", { nested: { list: [1, "two"] } }));
  });

  it("passes content parts through, including video", () => {
    const parts = [inputText("Here is the clip"), inputVideo("https://example.com/clip.mp4")];
    const item = functionCallOutput("call_2", parts, { status: "completed", id: "fco_1" });
    expect(item.output).toEqual(parts);
    expect(item.output).not.toBe(parts);
    expect(item.status).toBe("completed");
    expectValidItem(item);
  });

  it("rejects a bad call_id and values that cannot be JSON, with typed errors", () => {
    expect(() => functionCallOutput("", "x")).toThrow(/call_id: must be a string of 1-64 characters/);
    expect(() => functionCallOutput("c".repeat(65), "x")).toThrow(SpecValidationError);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => functionCallOutput("c", circular)).toThrow(/output: could not be serialised to JSON/);
    expect(() => functionCallOutput("c", 10n as unknown as number)).toThrow(SpecValidationError);
    expect(() => functionCallOutput("c", undefined as unknown as null)).toThrow(/could not be serialised/);
  });
});

describe("functionCall", () => {
  it("builds a function_call item, serialising object arguments", () => {
    const item = functionCall({ callId: "call_1", name: "get_weather", arguments: { city: "Paris" } });
    expect(item).toEqual({
      type: "function_call",
      call_id: "call_1",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
    });
    expectValidItem(item);
    expectValidItem(
      functionCall({ callId: "c", name: "f", arguments: "{}", id: "fc_1", status: "completed" }),
    );
  });

  it("P4: rejects a bad function name", () => {
    expect(() => functionCall({ callId: "c", name: "get weather", arguments: "{}" })).toThrow(
      /Invalid FunctionCallItemParam: name: P4/,
    );
  });
});
