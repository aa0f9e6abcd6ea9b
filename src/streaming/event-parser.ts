/**
 * Turns one SSE message (or one WebSocket message) into a typed event: JSON.parse, the S2 check of the
 * `event:` name against `type`, and the normalisation of names that real servers spell differently.
 * It never throws on a shape it does not know: unknown events pass through as extension events (X2).
 */

import { ResponseStreamError } from "../errors.js";
import { redactError } from "../internal/redact.js";
import type { ResponseStreamEvent } from "./events.js";
import type { SSEMessage } from "./sse-decoder.js";

/** Names some servers send, mapped to the specification's names (docs/rules.md, "Observed in the wild"). */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  "response.reasoning_text.delta": "response.reasoning.delta",
  "response.reasoning_text.done": "response.reasoning.done",
};

export type ParsedMessage =
  /** `data: [DONE]` (rule S3). */
  | { kind: "done" }
  /**
   * An event. `issue` is set when the message broke a rule that does not stop the event from being used
   * (an S2 name mismatch, a missing `type` recovered from the `event:` name); the checker records it.
   */
  | { kind: "event"; event: ResponseStreamEvent; issue?: { rule: string; message: string } }
  /** JSON that is not an event object (no usable `type`); reported under S4 and skipped. */
  | { kind: "invalid"; value: unknown; message: string };

/**
 * Parses one message. Bad JSON throws a `ResponseStreamError` of kind `"malformed"` (the stream attaches
 * its partial response before passing it on).
 */
export function parseMessage(message: SSEMessage): ParsedMessage {
  const data = message.data;
  if (data === "[DONE]") return { kind: "done" };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (cause) {
    const preview = data.length > 200 ? `${data.slice(0, 200)}…` : data;
    throw new ResponseStreamError(
      `Could not parse a stream event as JSON${message.event ? ` (event: ${message.event})` : ""}: ${preview}`,
      // JSON.parse quotes the data in its message: redacted like every other message.
      { kind: "malformed", partialResponse: null, cause: redactError(cause) },
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { kind: "invalid", value, message: "The event data is not a JSON object." };
  }
  const record = value as Record<string, unknown>;
  let issue: { rule: string; message: string } | undefined;
  let type = record.type;
  if (typeof type !== "string") {
    // Some servers send `{ "error": {...} }` with no type, or rely on the `event:` line alone.
    const recovered = message.event ?? ("error" in record ? "error" : undefined);
    if (recovered === undefined) {
      return { kind: "invalid", value, message: "The event has no string `type`." };
    }
    type = recovered;
    record.type = recovered;
    issue = { rule: "S4", message: `The event has no \`type\`; used "${recovered}".` };
  } else if (message.event !== undefined && message.event !== type) {
    issue = {
      rule: "S2",
      message: `The SSE event name "${message.event}" does not match the event type "${type}".`,
    };
  }
  // A cheap character test first: a keyed look-up of every event's type would cost more than the rest.
  if ((type as string).charCodeAt(9) === 114 /* r */ && Object.hasOwn(TYPE_ALIASES, type as string)) {
    record.original_type = type;
    record.type = TYPE_ALIASES[type as string];
  }
  return issue
    ? { kind: "event", event: record as unknown as ResponseStreamEvent, issue }
    : { kind: "event", event: record as unknown as ResponseStreamEvent };
}
