import { describe, expect, it } from "vitest";
import { AnthropicStreamMapper, toUsage } from "../../../../src/server/bridges/anthropic/stream.js";
import { messageAsEvents } from "../../../../src/server/bridges/anthropic/whole-message.js";
import { decodeProviderState } from "../../../../src/server/bridges/provider-state.js";
import type { ModelPart } from "../../../../src/server/model.js";
import {
  type AnthropicEvent,
  errorEvent,
  messageEnd,
  messageStart,
  ping,
  redactedThinkingBlock,
  textBlock,
  thinkingBlock,
  toolUseBlock,
} from "./events.js";

function mapAll(events: AnthropicEvent[]): { parts: ModelPart[]; mapper: AnthropicStreamMapper } {
  const mapper = new AnthropicStreamMapper(
    (error) => new Error(`upstream ${String(error.type)}: ${String(error.message)}`),
  );
  const parts = events.flatMap((event) => mapper.event(event));
  return { parts, mapper };
}

const withoutUsage = (parts: ModelPart[]) => parts.filter((part) => part.type !== "usage");

describe("AnthropicStreamMapper", () => {
  it("streams text deltas as they arrive and ignores ping", () => {
    const { parts, mapper } = mapAll([
      messageStart(),
      ping,
      ...textBlock(0, ["Hel", "lo"]),
      ping,
      ...messageEnd("end_turn"),
    ]);
    expect(withoutUsage(parts)).toEqual([
      { type: "text", delta: "Hel" },
      { type: "text", delta: "lo" },
    ]);
    expect(mapper.stopped).toBe(true);
  });

  it("streams a thinking block as reasoning, carrying its text and signature in encrypted_content", () => {
    const signature = "EqQBCkYIBxgCKkB+/sig==";
    const { parts } = mapAll([
      messageStart(),
      ...thinkingBlock(0, ["Let me ", "think."], signature),
      ...textBlock(1, ["Hi"]),
      ...messageEnd("end_turn"),
    ]);
    const visible = withoutUsage(parts);
    expect(visible.slice(0, 2)).toEqual([
      { type: "reasoning", delta: "Let me " },
      { type: "reasoning", delta: "think." },
    ]);
    const encrypted = visible[2] as Extract<ModelPart, { type: "reasoning_encrypted" }>;
    expect(encrypted.type).toBe("reasoning_encrypted");
    expect(decodeProviderState("anthropic", encrypted.encryptedContent)).toEqual({
      type: "thinking",
      thinking: "Let me think.",
      signature,
    });
    expect(visible.slice(3)).toEqual([{ type: "end_item" }, { type: "text", delta: "Hi" }]);
  });

  it("carries redacted thinking data in its own reasoning item", () => {
    const { parts } = mapAll([
      messageStart(),
      ...redactedThinkingBlock(0, "ENCRYPTED+/="),
      ...messageEnd("end_turn"),
    ]);
    const [encrypted, end] = withoutUsage(parts) as [
      Extract<ModelPart, { type: "reasoning_encrypted" }>,
      ModelPart,
    ];
    expect(decodeProviderState("anthropic", encrypted.encryptedContent)).toEqual({
      type: "redacted_thinking",
      data: "ENCRYPTED+/=",
    });
    expect(end).toEqual({ type: "end_item" });
  });

  it("streams parallel tool calls with arguments in pieces, each under its own key", () => {
    const { parts } = mapAll([
      messageStart(),
      ...textBlock(0, ["Checking."]),
      ...toolUseBlock(1, "toolu_a", "get_weather", ['{"ci', 'ty": "Par', 'is"}']),
      ...toolUseBlock(2, "toolu_b", "get_weather", ['{"city"', ': "Rome"}']),
      ...messageEnd("tool_use"),
    ]);
    expect(withoutUsage(parts)).toEqual([
      { type: "text", delta: "Checking." },
      { type: "function_call_start", key: "block-1", name: "get_weather", callId: "toolu_a" },
      { type: "function_call_delta", key: "block-1", delta: '{"ci' },
      { type: "function_call_delta", key: "block-1", delta: 'ty": "Par' },
      { type: "function_call_delta", key: "block-1", delta: 'is"}' },
      { type: "function_call_end", key: "block-1" },
      { type: "function_call_start", key: "block-2", name: "get_weather", callId: "toolu_b" },
      { type: "function_call_delta", key: "block-2", delta: '{"city"' },
      { type: "function_call_delta", key: "block-2", delta: ': "Rome"}' },
      { type: "function_call_end", key: "block-2" },
    ]);
  });

  it("gives a tool call without streamed input the arguments {}", () => {
    const { parts } = mapAll([
      messageStart(),
      ...toolUseBlock(0, "toolu_c", "now", []),
      ...messageEnd("tool_use"),
    ]);
    expect(withoutUsage(parts)).toEqual([
      { type: "function_call_start", key: "block-0", name: "now", callId: "toolu_c" },
      { type: "function_call_delta", key: "block-0", delta: "{}" },
      { type: "function_call_end", key: "block-0" },
    ]);
  });

  it("S9: max_tokens ends the answer incomplete", () => {
    const { parts } = mapAll([messageStart(), ...textBlock(0, ["cut"]), ...messageEnd("max_tokens")]);
    expect(parts.at(-1)).toEqual({ type: "incomplete", reason: "max_output_tokens" });
  });

  it("a refusal stop reason becomes a refusal part with the explanation", () => {
    const explained = mapAll([
      messageStart(),
      ...messageEnd(
        "refusal",
        { output_tokens: 3 },
        { type: "refusal", category: "cyber", explanation: "Not this." },
      ),
    ]);
    expect(explained.parts.at(-1)).toEqual({ type: "refusal", delta: "Not this." });
    const bare = mapAll([messageStart(), ...messageEnd("refusal")]);
    expect(bare.parts.at(-1)).toMatchObject({ type: "refusal", delta: expect.stringMatching(/refusal/) });
  });

  it("reports usage with cache reads and writes in the input count", () => {
    const { parts } = mapAll([
      messageStart({
        input_tokens: 10,
        cache_creation_input_tokens: 5,
        cache_read_input_tokens: 100,
        output_tokens: 1,
      }),
      ...messageEnd("end_turn", { output_tokens: 42 }),
    ]);
    expect(parts.filter((part) => part.type === "usage").at(-1)).toEqual({
      type: "usage",
      usage: {
        input_tokens: 115,
        output_tokens: 42,
        total_tokens: 157,
        input_tokens_details: { cached_tokens: 100 },
      },
    });
    expect(
      toUsage({ input_tokens: 1, output_tokens: 9, output_tokens_details: { thinking_tokens: 7 } }),
    ).toMatchObject({
      output_tokens_details: { reasoning_tokens: 7 },
    });
  });

  it("S8: an error event is thrown with the upstream's type and message", () => {
    expect(() =>
      mapAll([messageStart(), ...textBlock(0, ["partial"]), errorEvent("overloaded_error", "Overloaded")]),
    ).toThrow("upstream overloaded_error: Overloaded");
  });

  it("is not stopped until message_stop, and ignores anything after it", () => {
    const { mapper, parts } = mapAll([messageStart(), ...textBlock(0, ["a"])]);
    expect(mapper.stopped).toBe(false);
    expect(withoutUsage(parts)).toEqual([{ type: "text", delta: "a" }]);
    const done = mapAll([messageStart(), ...messageEnd("end_turn"), ...textBlock(0, ["late"])]);
    expect(withoutUsage(done.parts)).toEqual([]);
  });

  it("ignores block and delta types it does not know", () => {
    const { parts } = mapAll([
      messageStart(),
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "server_tool_use", id: "s", name: "web_search", input: {} },
      },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "{}" } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_delta", index: 1, delta: { type: "citations_delta", citation: {} } },
      { type: "future_event" },
      ...messageEnd("end_turn"),
    ]);
    expect(withoutUsage(parts)).toEqual([]);
  });
});

describe("messageAsEvents", () => {
  it("reads a whole (non-streamed) Message as the parts its stream would give", () => {
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-test",
      content: [
        { type: "thinking", thinking: "Hmm.", signature: "c2ln" },
        { type: "text", text: "Calling.", citations: null },
        { type: "tool_use", id: "toolu_1", name: "f", input: { a: 1 } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 4 },
    };
    const { parts, mapper } = mapAll(messageAsEvents(message) as AnthropicEvent[]);
    expect(mapper.stopped).toBe(true);
    const visible = withoutUsage(parts);
    expect(visible[0]).toEqual({ type: "reasoning", delta: "Hmm." });
    expect(
      decodeProviderState("anthropic", (visible[1] as { encryptedContent: string }).encryptedContent),
    ).toEqual({
      type: "thinking",
      thinking: "Hmm.",
      signature: "c2ln",
    });
    expect(visible.slice(2)).toEqual([
      { type: "end_item" },
      { type: "text", delta: "Calling." },
      { type: "function_call_start", key: "block-2", name: "f", callId: "toolu_1" },
      { type: "function_call_delta", key: "block-2", delta: '{"a":1}' },
      { type: "function_call_end", key: "block-2" },
    ]);
    expect(parts.filter((part) => part.type === "usage").at(-1)).toMatchObject({
      usage: { input_tokens: 3, output_tokens: 4 },
    });
  });
});
