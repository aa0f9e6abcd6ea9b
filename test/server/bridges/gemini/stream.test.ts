import { describe, expect, it } from "vitest";
import { GeminiStreamMapper, toUsage } from "../../../../src/server/bridges/gemini/stream.js";
import { decodeProviderState } from "../../../../src/server/bridges/provider-state.js";
import type { ModelPart } from "../../../../src/server/model.js";
import { blockedPrompt, chunk, finalChunk, type GeminiChunk } from "./chunks.js";

function mapAll(chunks: GeminiChunk[]): { parts: ModelPart[]; mapper: GeminiStreamMapper } {
  let calls = 0;
  const mapper = new GeminiStreamMapper(
    (error) => new Error(`upstream ${String(error.status)}: ${String(error.message)}`),
    () => `gcall_${++calls}`,
  );
  const parts = chunks.flatMap((data) => mapper.chunk(data));
  if (mapper.finished) parts.push(...mapper.end());
  return { parts, mapper };
}

const visible = (parts: ModelPart[]) => parts.filter((part) => part.type !== "usage");

function stateOf(part: ModelPart | undefined) {
  expect(part?.type).toBe("reasoning_encrypted");
  return decodeProviderState(
    "gemini",
    (part as Extract<ModelPart, { type: "reasoning_encrypted" }>).encryptedContent,
  );
}

describe("GeminiStreamMapper", () => {
  it("streams text chunk by chunk", () => {
    const { parts, mapper } = mapAll([chunk([{ text: "Hel" }]), chunk([{ text: "lo" }]), finalChunk("STOP")]);
    expect(visible(parts)).toEqual([
      { type: "text", delta: "Hel" },
      { type: "text", delta: "lo" },
    ]);
    expect(mapper.finished).toBe(true);
  });

  it("streams thought parts as reasoning; a signed thought keeps its text and signature", () => {
    const { parts } = mapAll([
      chunk([{ text: "Thinking ", thought: true }]),
      chunk([{ text: "hard.", thought: true, thoughtSignature: "c2lnLXRob3VnaHQ=" }]),
      chunk([{ text: "Answer" }]),
      finalChunk("STOP"),
    ]);
    const shown = visible(parts);
    expect(shown.slice(0, 2)).toEqual([
      { type: "reasoning", delta: "Thinking " },
      { type: "reasoning", delta: "hard." },
    ]);
    expect(stateOf(shown[2])).toEqual({
      on: "thought",
      text: "Thinking hard.",
      signature: "c2lnLXRob3VnaHQ=",
    });
    expect(shown.slice(3)).toEqual([{ type: "end_item" }, { type: "text", delta: "Answer" }]);
  });

  it("an unsigned thought is a plain reasoning item", () => {
    const { parts } = mapAll([
      chunk([{ text: "hmm", thought: true }]),
      chunk([{ text: "ok" }]),
      finalChunk("STOP"),
    ]);
    expect(visible(parts)).toEqual([
      { type: "reasoning", delta: "hmm" },
      { type: "end_item" },
      { type: "text", delta: "ok" },
    ]);
  });

  it("a signature on a function call goes in a reasoning item just before the call", () => {
    const { parts } = mapAll([
      chunk([
        { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "c2lnLWZj" },
        { functionCall: { name: "get_weather", args: { city: "Rome" } } },
      ]),
      finalChunk("STOP"),
    ]);
    const shown = visible(parts);
    expect(stateOf(shown[0])).toEqual({ on: "functionCall", signature: "c2lnLWZj" });
    expect(shown.slice(1)).toEqual([
      { type: "end_item" },
      { type: "function_call", name: "get_weather", arguments: '{"city":"Paris"}', callId: "gcall_1" },
      { type: "function_call", name: "get_weather", arguments: '{"city":"Rome"}', callId: "gcall_2" },
    ]);
  });

  it("keeps the call ids Gemini sends", () => {
    const { parts } = mapAll([
      chunk([{ functionCall: { id: "fc-9", name: "f", args: {} } }]),
      finalChunk("STOP"),
    ]);
    expect(visible(parts)).toEqual([{ type: "function_call", name: "f", arguments: "{}", callId: "fc-9" }]);
  });

  it("a signature on text goes in a reasoning item after the text, marked standalone when its part was empty", () => {
    const onText = mapAll([
      chunk([{ text: "Hi" }]),
      chunk([{ text: " there", thoughtSignature: "c2lnLXQ=" }]),
      finalChunk("STOP"),
    ]);
    const shown = visible(onText.parts);
    expect(shown.slice(0, 2)).toEqual([
      { type: "text", delta: "Hi" },
      { type: "text", delta: " there" },
    ]);
    expect(stateOf(shown[2])).toEqual({ on: "text", signature: "c2lnLXQ=", standalone: false });

    const onEmpty = mapAll([
      chunk([{ text: "Hi" }]),
      chunk([{ text: "", thoughtSignature: "c2ln" }], { finishReason: "STOP" }),
    ]);
    expect(stateOf(visible(onEmpty.parts)[1])).toEqual({ on: "text", signature: "c2ln", standalone: true });
  });

  it("S9: MAX_TOKENS ends incomplete; safety reasons end incomplete with content_filter", () => {
    expect(mapAll([chunk([{ text: "cut" }]), finalChunk("MAX_TOKENS")]).parts.at(-1)).toEqual({
      type: "incomplete",
      reason: "max_output_tokens",
    });
    for (const reason of ["SAFETY", "RECITATION", "PROHIBITED_CONTENT", "SPII", "BLOCKLIST"]) {
      expect(mapAll([finalChunk(reason)]).parts.at(-1)).toEqual({
        type: "incomplete",
        reason: "content_filter",
      });
    }
    expect(mapAll([finalChunk("LANGUAGE")]).parts.at(-1)).toEqual({ type: "incomplete", reason: "language" });
    expect(mapAll([blockedPrompt("SAFETY")]).parts.at(-1)).toEqual({
      type: "incomplete",
      reason: "content_filter",
    });
  });

  it("a malformed function call fails the answer", () => {
    expect(() => mapAll([finalChunk("MALFORMED_FUNCTION_CALL")])).toThrow(/MALFORMED_FUNCTION_CALL/);
  });

  it("S8: an error object in the stream is thrown", () => {
    expect(() =>
      mapAll([
        chunk([{ text: "a" }]),
        { error: { code: 503, message: "overloaded", status: "UNAVAILABLE" } },
      ]),
    ).toThrow("upstream UNAVAILABLE: overloaded");
  });

  it("is not finished until a finish reason arrives", () => {
    const { mapper } = mapAll([chunk([{ text: "a" }])]);
    expect(mapper.finished).toBe(false);
  });

  it("reports the last usage, thoughts as reasoning tokens counted in the output", () => {
    const { parts } = mapAll([
      chunk([{ text: "a" }], { usage: { promptTokenCount: 5, totalTokenCount: 5 } }),
      finalChunk("STOP", {
        promptTokenCount: 100,
        cachedContentTokenCount: 60,
        candidatesTokenCount: 10,
        thoughtsTokenCount: 30,
        totalTokenCount: 140,
      }),
    ]);
    expect(parts.filter((part) => part.type === "usage")).toEqual([
      {
        type: "usage",
        usage: {
          input_tokens: 100,
          output_tokens: 40,
          total_tokens: 140,
          input_tokens_details: { cached_tokens: 60 },
          output_tokens_details: { reasoning_tokens: 30 },
        },
      },
    ]);
    expect(toUsage({})).toMatchObject({ input_tokens: 0, output_tokens: 0, total_tokens: 0 });
  });

  it("ignores part types it did not ask for", () => {
    const { parts } = mapAll([
      chunk([{ inlineData: { mimeType: "image/png", data: "AA" } }, { executableCode: { code: "1" } }]),
      finalChunk("STOP"),
    ]);
    expect(visible(parts)).toEqual([]);
  });
});
