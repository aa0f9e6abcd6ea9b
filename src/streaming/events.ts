/**
 * The event types the streaming engine hands to users, and the maps that type `.on(name, listener)`.
 */

import type { AnyStreamingEvent, StreamingEventType } from "../spec/index.js";

/** Any event a stream can yield: one of the 24 standard events, or an extension event passed through (X2). */
export type ResponseStreamEvent = AnyStreamingEvent;

/**
 * Set on an event whose `type` was rewritten to the specification's name; holds the name the server sent
 * (e.g. `response.reasoning_text.delta`, which some servers send for the spec's `response.reasoning.delta`).
 */
export interface NormalisedEventFields {
  original_type?: string;
}

/** A protocol violation recorded in lenient mode (and thrown as a `ProtocolError` in strict mode). */
export interface ProtocolViolation {
  /** The rule id from the specification digest, e.g. `S6`. */
  rule: string;
  message: string;
  sequenceNumber: number | undefined;
  eventType: string | undefined;
}

/** A field where the terminal snapshot disagrees with what was streamed (see `finalResponse()`). */
export interface StreamDifference {
  /** Where, e.g. `output[0].content[0].text`. */
  path: string;
  streamed: unknown;
  final: unknown;
}

// The one terminal-event test of the package; the client entry exports it from here.
export { isTerminalEventType } from "../internal/terminal-events.js";

/**
 * What each standard event does, read by the protocol checker and the accumulator alike, so that the two
 * agree on every name and each dispatches with one look-up: `[kind, family, part type, text field]`. The
 * family says where streamed text goes (`CONTENT` parts, `SUMMARY` parts or the function call's
 * `ARGUMENTS`); the part type and field are those of a placeholder part made for text that arrives first.
 */
export type EventRole = readonly [kind: number, family?: number, partType?: string, field?: string];

export const LIFECYCLE = 0;
export const CREATED = 1;
export const TERMINAL = 2;
export const ERROR = 3;
export const ITEM_ADDED = 4;
export const ITEM_DONE = 5;
export const PART_ADDED = 6;
export const PART_DONE = 7;
/** A text delta; `DONE` its `.done` (the full text, in the event's field of the same name). */
export const DELTA = 8;
export const DONE = 9;
export const ANNOTATION = 10;

export const CONTENT = 0;
export const SUMMARY = 1;
export const ARGUMENTS = 2;

/** The 24 standard events and their roles, in the specification's order. */
export const EVENT_ROLES: ReadonlyMap<string, EventRole> = new Map<StreamingEventType, EventRole>([
  ["response.created", [CREATED]],
  ["response.queued", [LIFECYCLE]],
  ["response.in_progress", [LIFECYCLE]],
  ["response.completed", [TERMINAL]],
  ["response.failed", [TERMINAL]],
  ["response.incomplete", [TERMINAL]],
  ["response.output_item.added", [ITEM_ADDED]],
  ["response.output_item.done", [ITEM_DONE]],
  ["response.reasoning_summary_part.added", [PART_ADDED, SUMMARY]],
  ["response.reasoning_summary_part.done", [PART_DONE, SUMMARY]],
  ["response.content_part.added", [PART_ADDED, CONTENT]],
  ["response.content_part.done", [PART_DONE, CONTENT]],
  ["response.output_text.delta", [DELTA, CONTENT, "output_text", "text"]],
  ["response.output_text.done", [DONE, CONTENT, "output_text", "text"]],
  ["response.refusal.delta", [DELTA, CONTENT, "refusal", "refusal"]],
  ["response.refusal.done", [DONE, CONTENT, "refusal", "refusal"]],
  ["response.reasoning.delta", [DELTA, CONTENT, "reasoning_text", "text"]],
  ["response.reasoning.done", [DONE, CONTENT, "reasoning_text", "text"]],
  ["response.reasoning_summary_text.delta", [DELTA, SUMMARY, "summary_text", "text"]],
  ["response.reasoning_summary_text.done", [DONE, SUMMARY, "summary_text", "text"]],
  ["response.output_text.annotation.added", [ANNOTATION, CONTENT, "output_text", "text"]],
  ["response.function_call_arguments.delta", [DELTA, ARGUMENTS, "", "arguments"]],
  ["response.function_call_arguments.done", [DONE, ARGUMENTS, "", "arguments"]],
  ["error", [ERROR]],
]);

// The type looked up last, and its role. The checker and the accumulator look up each event's type in
// turn, and a stream's deltas come in runs of one type, so nearly every look-up is answered here: the
// accumulator's by identity, the checker's by comparing with the previous event's type. Comparing strings
// is far cheaper than hashing a freshly parsed one for the keyed look-up.
let lastType = "";
let lastRole: EventRole | undefined;

/**
 * V8 keeps the hidden classes ("maps") of the parsed events only while an object has them, and the
 * engine's optimised code is built on them: a full collection with no stream alive drops them (after a
 * few collections: V8 keeps unused ones a little longer) and throws that code away, as it did for the
 * engine's own classes (see `idle` in response-stream.ts). So a copy of the first event of each standard
 * type is kept, made by `JSON.parse` as the events are, so with the same classes, with every string
 * emptied and every array cut to its first element: it holds nothing a stream said. Made when a type
 * begins a run in the checker, which looks it up first, before the accumulator changes anything.
 */
const shapes = new Map<string, unknown>();

/** For `JSON.stringify`: what of a value the copies in `shapes` keep. */
function blank(_key: string, value: unknown): unknown {
  return typeof value === "string" ? "" : Array.isArray(value) ? value.slice(0, 1) : value;
}

/** The role of an event's type (`undefined`: not a standard event). */
export function roleOf(event: { type: string }): EventRole | undefined {
  const type = event.type;
  if (type !== lastType) {
    lastRole = EVENT_ROLES.get(type);
    lastType = type;
    if (lastRole && !shapes.has(type)) {
      try {
        shapes.set(type, JSON.parse(JSON.stringify(event, blank)));
      } catch {
        // Nested past the stack's depth: this type's classes are not kept (yet).
      }
    }
  }
  return lastRole;
}

// Made by a pure-annotated call, so that a bundle that never reads it (the client's: only the CLI does)
// drops it: annotated directly, `new Set(EVENT_ROLES.keys())` stayed, for the call in its argument.
/** The 24 standard event names, used to tell extension events from standard ones. */
export const STANDARD_EVENT_TYPES: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set(EVENT_ROLES.keys()))();
