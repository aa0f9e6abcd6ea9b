/**
 * The HTTP framing of one engine call: a create answered as one JSON response resource (the terminal
 * event's snapshot) or, with `stream: true`, as an event stream; a compaction as its JSON resource.
 * Each answer goes through the request's idempotency claim, which records it.
 */

import { isTerminalEventType } from "../../internal/terminal-events.js";
import type {
  CompactResponseMethodPublicBody,
  CreateResponseBody,
  ResponseResource,
  StreamingEvent,
} from "../../spec/index.js";
import { type KitAnswer, toResponse } from "./answer.js";
import type { ResponsesEngine, RunOptions } from "./engine.js";
import { type EventBatchSource, TurnEvents } from "./event-batches.js";
import type { Claimed } from "./idempotent-answer.js";
import { errorAnswer, errorResponse, kitError } from "./kit-error.js";
import { sseChunks } from "./sse.js";
import { HEADERS_LATER } from "./turn-request.js";

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * An answer's own headers, which the wrapper adds to (`x-request-id`). Made as a literal each time, not
 * spread from a shared object: on Node 20, V8 keeps an object made by a spread and then added to (and
 * everything it holds) alive through young-generation collections after it is dead, so every answer's
 * headers would be copied and promoted before they could be freed.
 */
function jsonHeaders(): Record<string, string> {
  return { "content-type": "application/json" };
}

function sseHeaders(): Record<string, string> {
  return {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    // Tells reverse proxies (nginx) not to buffer the stream.
    "x-accel-buffering": "no",
  };
}

/** `POST {base}/responses`: runs the engine and frames its events as JSON or SSE. */
export async function answerCreate(
  engine: ResponsesEngine,
  body: CreateResponseBody,
  requestSignal: AbortSignal,
  claim: Claimed,
  headers?: Headers,
): Promise<Response> {
  const call = headers === undefined ? { signal: requestSignal } : { signal: requestSignal, headers };
  const { answer, keep } = await createAnswer(engine, body, call);
  // An SSE answer is recorded once the stream has been sent to its end; one the client left is forgotten.
  return claim.finish(toResponse(answer), keep);
}

/** What the turn needs of the request besides its body. */
export interface CreateCall {
  /**
   * How the turn learns that the client went away: the request's `signal` (a fetch `Request`'s), or
   * `onClose`, which is handed the turn's own stop (an adapter that has no signal to make).
   */
  signal?: AbortSignal;
  onClose?: (stop: (reason: unknown) => void) => void;
  /** The request's headers, for `ModelRequest.headers`, or a function that builds them when the model reads them. */
  headers?: Headers | (() => Headers);
}

/** The create turn's answer, and whether an idempotency claim may record it (not an error). */
export async function createAnswer(
  engine: ResponsesEngine,
  body: CreateResponseBody,
  call: CreateCall,
): Promise<{ answer: KitAnswer; keep: boolean }> {
  // A cancelled SSE body stops the turn itself. Options set field by field: a spread of objects would
  // keep the headers alive through young-generation collections (see `jsonHeaders`).
  const options: RunOptions = {};
  if (call.signal !== undefined) options.signal = call.signal;
  const headers = call.headers;
  if (typeof headers === "function")
    (options as { [HEADERS_LATER]?: () => Headers })[HEADERS_LATER] = headers;
  else if (headers !== undefined) options.headers = headers;
  const run = await engine.run(body, options);
  if (!run.ok) return { answer: errorAnswer(run.error), keep: false };
  let events: AsyncIterable<StreamingEvent> | EventBatchSource = run.events;
  if (call.onClose !== undefined && events instanceof TurnEvents) {
    const batches = events.takeBatches();
    call.onClose((reason) => batches.stop(reason));
    events = batches;
  }
  if (body.stream === true) {
    return { answer: { status: 200, headers: sseHeaders(), body: sseChunks(events) }, keep: true };
  }
  const final = await finalResponse(events);
  if (final === null) {
    const cancelled = kitError(499, "server_error", "The request was cancelled.", { code: "cancelled" });
    return { answer: errorAnswer(cancelled), keep: false };
  }
  // The JSON answer is exactly the terminal event's snapshot. A failed response also answers 500, and
  // its `error` carries message, type, param and code, so it reads as a spec error body (E1) too.
  const status = final.response.status === "failed" ? 500 : 200;
  const answer: KitAnswer = { status, headers: jsonHeaders(), body: final.json };
  if (final.bytes !== undefined) answer.bytes = final.bytes;
  return { answer, keep: true };
}

/**
 * The final snapshot and its JSON text (with its bytes when the turn made them): collected without
 * events when the turn can (the engine's own turns), else read from the terminal event. Null when the
 * turn ended without one.
 */
function finalResponse(
  events: AsyncIterable<StreamingEvent> | EventBatchSource,
): Promise<FinalResponse | null> {
  const source = events instanceof TurnEvents ? events.takeBatches() : events;
  // The turn's own promise, not one of this function's wrapped around it (each costs microtask turns).
  if (!(Symbol.asyncIterator in source) && source.collect !== undefined) return source.collect();
  return terminalResponse(source);
}

interface FinalResponse {
  readonly response: ResponseResource;
  readonly json: string;
  readonly bytes?: Uint8Array<ArrayBuffer>;
}

async function terminalResponse(
  source: AsyncIterable<StreamingEvent> | EventBatchSource,
): Promise<FinalResponse | null> {
  const terminal = await lastTerminal(source);
  return terminal === null ? null : { response: terminal.response, json: JSON.stringify(terminal.response) };
}

/** `POST {base}/responses/compact`: the compaction resource as JSON. */
export async function answerCompact(
  engine: ResponsesEngine,
  body: CompactResponseMethodPublicBody,
  signal: AbortSignal,
  claim: Claimed,
): Promise<Response> {
  const result = await engine.compact(body, { signal });
  if (!result.ok) return claim.finish(errorResponse(result.error), false);
  return claim.finish(
    new Response(JSON.stringify(result.resource), { status: 200, headers: JSON_HEADERS }),
    true,
  );
}

type TerminalEvent = Extract<
  StreamingEvent,
  { type: "response.completed" | "response.incomplete" | "response.failed" }
>;

/** The terminal event, the only one a JSON answer needs; null when the turn ended without one. */
async function lastTerminal(
  events: AsyncIterable<StreamingEvent> | EventBatchSource,
): Promise<TerminalEvent | null> {
  if (events instanceof TurnEvents || !(Symbol.asyncIterator in events)) {
    // A turn's events come in batches, and the terminal event is always the last of its batch.
    const batches = events instanceof TurnEvents ? events.takeBatches() : events;
    for (;;) {
      const batch = await batches.next();
      if (batch === null) return null;
      const last = batch[batch.length - 1];
      if (last !== undefined && isTerminalEventType(last.type)) {
        batches.stop();
        return last as TerminalEvent;
      }
    }
  }
  let terminal: TerminalEvent | null = null;
  for await (const event of events) {
    if (isTerminalEventType(event.type)) terminal = event as TerminalEvent;
  }
  return terminal;
}
