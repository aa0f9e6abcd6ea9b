/**
 * Turning what a server produced back into what the next request sends. The output schemas
 * (`ItemField`) and the input schemas (`ItemParam`) differ in a few places; everything else is copied
 * as it came, so opaque state (reasoning `encrypted_content`, assistant `phase`, provider-prefixed
 * items, fields a server added under rule X4) survives the round trip.
 */

import { isRecord, type JsonRecord } from "../internal/guards.js";
import type { CreateResponseBody, ItemField, ItemParam } from "../spec/index.js";

/** An item as it travels in a request: a standard `ItemParam`, or an unknown item kept verbatim. */
export type ConversationItem = ItemParam | (Record<string, unknown> & { type: string });

/** A deep copy through JSON, so the caller's objects and ours never alias. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * `output_text` parts come back with `logprobs`, which `OutputTextContentParam` does not accept;
 * every other field (text, annotations, unknown extras) is kept.
 */
function toContentParam(part: unknown): unknown {
  if (!isRecord(part) || part.type !== "output_text") return part;
  const { logprobs: _logprobs, ...rest } = part;
  return rest;
}

/**
 * Converts one output item (or any item) into its request form.
 *
 * - `reasoning`: raw `content` is dropped (the `ReasoningItemParam` schema allows only null there);
 *   `summary`, `encrypted_content` and `id` are kept untouched (rule I5).
 * - `message`: `phase` and `status` kept; `output_text` parts lose `logprobs` only.
 * - `function_call`, `function_call_output`, `compaction`, `item_reference`: kept as they came.
 * - Unknown and provider-prefixed items (rule X2): kept exactly as they came.
 */
export function toInputItem(item: ItemField | ConversationItem | JsonRecord): ConversationItem {
  const copy = clone(item) as JsonRecord;
  if (copy.type === "reasoning") {
    if (copy.content !== undefined && copy.content !== null) delete copy.content;
    if (!Array.isArray(copy.summary)) copy.summary = [];
    return copy as ConversationItem;
  }
  if (copy.type === "message" && Array.isArray(copy.content)) {
    copy.content = copy.content.map(toContentParam);
    return copy as ConversationItem;
  }
  return copy as ConversationItem;
}

/** Converts a response's `output` array into the items a later request sends back. */
export function toInputItems(
  output: ReadonlyArray<ItemField | ConversationItem | JsonRecord>,
): ConversationItem[] {
  return output.map((item) => toInputItem(item));
}

/** `input` as a request may carry it (a string is one user message) → a list of items. */
export function normalizeInput(input: CreateResponseBody["input"] | ConversationInput): ConversationItem[] {
  if (input === undefined || input === null) return [];
  // Text becomes one user message with one text part. Not the builders' `userMessage`: that one
  // validates and keeps a string as a string, and a conversation sends exactly what it always sent.
  if (typeof input === "string") {
    return [
      { type: "message", role: "user", content: [{ type: "input_text", text: input }] } as ConversationItem,
    ];
  }
  if (Array.isArray(input)) return input.map((item) => clone(item) as ConversationItem);
  return [clone(input) as ConversationItem];
}

/** What `Conversation.send` accepts: text, one item, or a list of items. */
export type ConversationInput = string | ConversationItem | ConversationItem[];
