/**
 * Anthropic Messages streaming events as the API sends them (event names and fields from Anthropic's
 * streaming reference and its SDK's `RawMessageStreamEvent` types), for the unit tests and the fake
 * upstream. Each builder returns the events of one piece of a message, in order.
 */

export type AnthropicEvent = { type: string; [key: string]: unknown };

export function messageStart(
  usage: Record<string, number> = { input_tokens: 25, output_tokens: 1 },
): AnthropicEvent {
  return {
    type: "message_start",
    message: {
      id: "msg_01XFDUDYJgAACzvnptvVoYEL",
      type: "message",
      role: "assistant",
      content: [],
      model: "claude-test",
      stop_reason: null,
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
    },
  };
}

export function textBlock(index: number, pieces: string[]): AnthropicEvent[] {
  return [
    { type: "content_block_start", index, content_block: { type: "text", text: "" } },
    ...pieces.map((text) => ({ type: "content_block_delta", index, delta: { type: "text_delta", text } })),
    { type: "content_block_stop", index },
  ];
}

export function thinkingBlock(index: number, pieces: string[], signature: string): AnthropicEvent[] {
  const half = Math.ceil(signature.length / 2);
  return [
    { type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } },
    ...pieces.map((thinking) => ({
      type: "content_block_delta",
      index,
      delta: { type: "thinking_delta", thinking },
    })),
    {
      type: "content_block_delta",
      index,
      delta: { type: "signature_delta", signature: signature.slice(0, half) },
    },
    {
      type: "content_block_delta",
      index,
      delta: { type: "signature_delta", signature: signature.slice(half) },
    },
    { type: "content_block_stop", index },
  ];
}

export function redactedThinkingBlock(index: number, data: string): AnthropicEvent[] {
  return [
    { type: "content_block_start", index, content_block: { type: "redacted_thinking", data } },
    { type: "content_block_stop", index },
  ];
}

export function toolUseBlock(index: number, id: string, name: string, pieces: string[]): AnthropicEvent[] {
  return [
    { type: "content_block_start", index, content_block: { type: "tool_use", id, name, input: {} } },
    ...pieces.map((partial_json) => ({
      type: "content_block_delta",
      index,
      delta: { type: "input_json_delta", partial_json },
    })),
    { type: "content_block_stop", index },
  ];
}

export function messageEnd(
  stopReason: string,
  usage: Record<string, number> = { output_tokens: 15 },
  stopDetails: Record<string, unknown> | null = null,
): AnthropicEvent[] {
  return [
    {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null, stop_details: stopDetails },
      usage,
    },
    { type: "message_stop" },
  ];
}

export const ping: AnthropicEvent = { type: "ping" };

export function errorEvent(type: string, message: string): AnthropicEvent {
  return { type: "error", error: { type, message } };
}
