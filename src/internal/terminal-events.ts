/**
 * The three events that end a response (rule S5). Written once: the client's stream, `Conversation`,
 * the kit's writer and engine, and `check` all decide "is this the end?" the same way.
 */

/** The type names of the terminal events, in the order the specification lists them. */
export const TERMINAL_EVENT_TYPES = ["response.completed", "response.incomplete", "response.failed"] as const;

/** One of `response.completed`, `response.incomplete`, `response.failed`. */
export type TerminalEventType = (typeof TERMINAL_EVENT_TYPES)[number];

/** True when an event of this type ends the response. */
export function isTerminalEventType(type: string): type is TerminalEventType {
  // Plain comparisons: called for every event, and cheaper than hashing a freshly parsed string.
  return type === "response.completed" || type === "response.incomplete" || type === "response.failed";
}
