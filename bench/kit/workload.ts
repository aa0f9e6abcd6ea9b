/**
 * The work both runners of the kit comparisons do, named by the request's `input`:
 *   "bench-sse"  — a stream of DELTAS text deltas from a model that never waits (the kit's own cost);
 *   "bench-idle" — a stream that sends its first delta and then waits, as a model waiting on its
 *                  provider does (the cost of holding a stream open);
 *   anything else — a small JSON turn answered by the built-in model (`mockModel`).
 * The kit runs these models; the bare server sends the bytes the kit sent for the same request.
 */

import type { Model, ModelPart, ModelRequest } from "../../src/server/model.js";

/** Deltas in the bench's SSE stream. */
export const SSE_DELTAS = Number(process.env.BENCH_SSE_DELTAS ?? 100_000);
export const SSE_INPUT = "bench-sse";
export const IDLE_INPUT = "bench-idle";
export const JSON_INPUT = "Hello! What can you do?";

export const sseBody = (deltas: number) =>
  JSON.stringify({ model: "bench", input: SSE_INPUT, stream: true, metadata: { deltas: String(deltas) } });
export const idleBody = JSON.stringify({ model: "bench", input: IDLE_INPUT, stream: true });
export const jsonBody = JSON.stringify({ model: "bench", input: JSON_INPUT });

function* fastDeltas(count: number): Generator<ModelPart> {
  for (let i = 0; i < count; i++) yield { type: "text", delta: `word${i % 97} ` };
}

async function* idle(request: ModelRequest): AsyncGenerator<ModelPart> {
  yield { type: "text", delta: "waiting " };
  await new Promise<void>((resolve) => {
    if (request.signal.aborted) resolve();
    else request.signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** The model the kit runner serves: the two bench streams, else the built-in model. */
export function benchModel(builtIn: Model): Model {
  const model = (request: ModelRequest) => {
    const input = request.body.input;
    if (input === SSE_INPUT) {
      const deltas = Number((request.body.metadata as Record<string, string> | undefined)?.deltas ?? 1000);
      return fastDeltas(deltas);
    }
    if (input === IDLE_INPUT) return idle(request);
    return builtIn(request);
  };
  return Object.assign(model, { defaultModel: builtIn.defaultModel });
}

/** What the bare server sends, recorded from the kit: SSE as one string per event, JSON as one body. */
export interface Recording {
  sse: string[];
  idle: string[];
  json: string;
  /** The `content-type` of each kind of answer, as the kit sent it. */
  sseType: string;
  jsonType: string;
}

/** The SSE body split after each blank line, so each piece is one event (or the `[DONE]` line). */
export function splitEvents(text: string): string[] {
  const events: string[] = [];
  let start = 0;
  for (let end = text.indexOf("\n\n"); end !== -1; end = text.indexOf("\n\n", start)) {
    events.push(text.slice(start, end + 2));
    start = end + 2;
  }
  return events;
}
