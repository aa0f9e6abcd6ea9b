/**
 * Turning what a server produced back into what the next request sends. The output schemas
 * (`ItemField`) and the input schemas (`ItemParam`) differ in a few places; everything else is copied
 * as it came, so opaque state (reasoning `encrypted_content`, assistant `phase`, provider-prefixed
 * items, fields a server added under rule X4) survives the round trip.
 */

import { OpenResponsesError } from "../errors.js";
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

/** One answer to a function call: `call_id` of the `function_call`, and what the tool returned. */
export interface ToolOutput {
  call_id: string;
  /** A string (usually JSON) or content parts; any other value is sent as its JSON text. */
  output: unknown;
}

/**
 * Stages `function_call_output` items in `pending` (`Conversation.addToolOutputs`, and the tool loop). A
 * call id the conversation never saw is an error (nothing is staged).
 */
export function stageToolOutputs(
  conversation: {
    items: ConversationItem[];
    pending: ConversationItem[];
    lastResponse: { output: ItemField[] } | null;
  },
  outputs: ToolOutput[] | Record<string, unknown>,
): void {
  const list: ToolOutput[] = Array.isArray(outputs)
    ? outputs
    : Object.entries(outputs).map(([call_id, output]) => ({ call_id, output }));
  const known = new Set(
    [
      ...conversation.items,
      ...(conversation.lastResponse ? toInputItems(conversation.lastResponse.output) : []),
    ]
      .filter((item) => item.type === "function_call")
      .map((item) => (item as { call_id?: string }).call_id),
  );
  const unknown = list.filter((entry) => !known.has(entry.call_id)).map((entry) => entry.call_id);
  if (unknown.length > 0) {
    throw new OpenResponsesError(`No function_call with call_id ${unknown.join(", ")} in this conversation.`);
  }
  for (const { call_id, output } of list) {
    const value =
      typeof output === "string" || Array.isArray(output) ? output : JSON.stringify(output ?? null);
    // The answer to the `function_call` with this `call_id` (rule P4), kept as given: the builders'
    // `functionCallOutput` checks the id and rewrites arrays, which a recorded call must not be.
    conversation.pending.push({ type: "function_call_output", call_id, output: value } as ConversationItem);
  }
}
