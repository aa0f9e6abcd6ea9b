/**
 * The HTTP framing of one engine call: a create answered as one JSON response resource (the terminal
 * event's snapshot) or, with `stream: true`, as an event stream; a compaction as its JSON resource.
 * Each answer goes through the request's idempotency claim, which records it.
 */

import { isTerminalEventType } from "../../internal/terminal-events.js";
import type {
  CompactResponseMethodPublicBody,
  CreateResponseBody,
  StreamingEvent,
} from "../../spec/index.js";
import type { ResponsesEngine } from "./engine.js";
import type { Claimed } from "./idempotent-answer.js";
import { errorResponse, kitError } from "./kit-error.js";
import { encodeSSE } from "./sse.js";

const JSON_HEADERS = { "content-type": "application/json" };
const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  // Tells reverse proxies (nginx) not to buffer the stream.
  "x-accel-buffering": "no",
};

/** `POST {base}/responses`: runs the engine and frames its events as JSON or SSE. */
export async function answerCreate(
  engine: ResponsesEngine,
  body: CreateResponseBody,
  requestSignal: AbortSignal,
  claim: Claimed,
  headers?: Headers,
): Promise<Response> {
  // Aborted by the runtime when the client disconnects, or by the SSE stream being cancelled.
  const controller = new AbortController();
  const abort = () => controller.abort(requestSignal.reason);
  if (requestSignal.aborted) abort();
  else requestSignal.addEventListener("abort", abort, { once: true });

  const run = await engine.run(body, {
    signal: controller.signal,
    ...(headers === undefined ? {} : { headers }),
  });
  if (!run.ok) return claim.finish(errorResponse(run.error), false);
  if (body.stream === true) {
    const stream = encodeSSE(run.events, (reason) => controller.abort(reason));
    // Recorded once the stream has been sent to its end; a stream the client left is forgotten.
    return claim.finish(new Response(stream, { status: 200, headers: SSE_HEADERS }), true);
  }
  const terminal = await lastTerminal(run.events);
  if (terminal === null) {
    return claim.finish(
      errorResponse(kitError(499, "server_error", "The request was cancelled.", { code: "cancelled" })),
      false,
    );
  }
  // The JSON answer is exactly the terminal event's snapshot. A failed response also answers 500, and
  // its `error` carries message, type, param and code, so it reads as a spec error body (E1) too.
  const status = terminal.response.status === "failed" ? 500 : 200;
  return claim.finish(
    new Response(JSON.stringify(terminal.response), { status, headers: JSON_HEADERS }),
    true,
  );
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

async function lastTerminal(events: AsyncIterable<StreamingEvent>): Promise<TerminalEvent | null> {
  let terminal: TerminalEvent | null = null;
  for await (const event of events) {
    if (isTerminalEventType(event.type)) terminal = event as TerminalEvent;
  }
  return terminal;
}
