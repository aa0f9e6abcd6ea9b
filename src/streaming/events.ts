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

/** The 24 standard event names, used to tell extension events from standard ones. */
export const STANDARD_EVENT_TYPES: ReadonlySet<string> = new Set<StreamingEventType>([
  "response.created",
  "response.queued",
  "response.in_progress",
  "response.completed",
  "response.failed",
  "response.incomplete",
  "response.output_item.added",
  "response.output_item.done",
  "response.reasoning_summary_part.added",
  "response.reasoning_summary_part.done",
  "response.content_part.added",
  "response.content_part.done",
  "response.output_text.delta",
  "response.output_text.done",
  "response.refusal.delta",
  "response.refusal.done",
  "response.reasoning.delta",
  "response.reasoning.done",
  "response.reasoning_summary_text.delta",
  "response.reasoning_summary_text.done",
  "response.output_text.annotation.added",
  "response.function_call_arguments.delta",
  "response.function_call_arguments.done",
  "error",
]);
