/**
 * Event dialects. The kit speaks the Open Responses specification (`"spec"`, the default). OpenAI's API
 * names one event family differently, and some clients read reasoning text only under OpenAI's names
 * (the `openai` SDK's stream helper, the AI SDK's `@ai-sdk/open-responses`); `"openai"` renames them:
 *
 *   response.reasoning.delta → response.reasoning_text.delta
 *   response.reasoning.done  → response.reasoning_text.done
 *
 * Everything else (the `reasoning_text` content parts, summaries, items, the resource) is the same in
 * both. The rename happens after the event writer, so the writer, the store and the model contract know
 * one vocabulary only.
 */

import type { StreamingEvent } from "../../spec/index.js";

/** `"spec"`: the specification's event names (default). `"openai"`: OpenAI's names for reasoning text. */
export type Dialect = "spec" | "openai";

export const DIALECTS: readonly Dialect[] = ["spec", "openai"];

const OPENAI_NAMES: Readonly<Record<string, string>> = {
  "response.reasoning.delta": "response.reasoning_text.delta",
  "response.reasoning.done": "response.reasoning_text.done",
};

/** The event as the dialect names it; the same object when nothing changes. */
export function inDialect(event: StreamingEvent, dialect: Dialect): StreamingEvent {
  if (dialect !== "openai") return event;
  const renamed = OPENAI_NAMES[event.type];
  // The renamed event is outside the spec's union on purpose: that is what the dialect is for.
  return renamed === undefined ? event : ({ ...event, type: renamed } as unknown as StreamingEvent);
}

/** Throws a `TypeError` naming the accepted values, for options read from users (the CLI, config). */
export function assertDialect(value: unknown): asserts value is Dialect {
  if (!DIALECTS.includes(value as Dialect)) {
    throw new TypeError(`dialect must be "spec" or "openai"; got ${JSON.stringify(value)}.`);
  }
}

/** The events under another dialect's names; stopping early stops the source too (for-await's return). */
export async function* eventsInDialect(
  events: AsyncIterable<StreamingEvent>,
  dialect: Dialect,
): AsyncGenerator<StreamingEvent, void, undefined> {
  for await (const event of events) yield inDialect(event, dialect);
}
