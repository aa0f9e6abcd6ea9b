/**
 * An upstream that ignores `stream: true` (a proxy, a gateway) answers with the whole Message. Rather
 * than a second reader, the message is turned into the events that would have streamed it, for the one
 * stream mapper.
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";

/**
 * A whole (non-streamed) Message as the events that would have streamed it, so one mapper reads both:
 * each block starts whole (a thinking block with its text and signature), a tool's input arrives as
 * one `input_json_delta`.
 */
export function messageAsEvents(message: unknown): JsonRecord[] {
  if (!isRecord(message) || message.type !== "message") return [message as JsonRecord];
  const events: JsonRecord[] = [{ type: "message_start", message: { ...message, content: [] } }];
  const blocks = Array.isArray(message.content) ? message.content : [];
  blocks.forEach((block, index) => {
    if (!isRecord(block)) return;
    if (block.type === "tool_use") {
      events.push({ type: "content_block_start", index, content_block: { ...block, input: {} } });
      const delta = { type: "input_json_delta", partial_json: JSON.stringify(block.input ?? {}) };
      events.push({ type: "content_block_delta", index, delta });
    } else events.push({ type: "content_block_start", index, content_block: block });
    events.push({ type: "content_block_stop", index });
  });
  const delta = { stop_reason: message.stop_reason ?? null, stop_details: message.stop_details ?? null };
  events.push({ type: "message_delta", delta, usage: isRecord(message.usage) ? message.usage : {} });
  events.push({ type: "message_stop" });
  return events;
}
