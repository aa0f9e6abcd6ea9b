/**
 * Reads an upstream's `text/event-stream` body as it arrives, with the client's own SSE decoder (LF, CR
 * and CRLF, comments and keep-alives, data-only framing, a last event without its blank line), one
 * event at a time and never more than one chunk ahead. An event past `maxEventSize` characters, bad JSON
 * and a body that breaks off are `ModelError`s (502 before the first part, `response.failed` after it);
 * the caller's abort passes through as itself. Leaving the loop early cancels the body.
 */

import { OpenResponsesError } from "../../errors.js";
import { SSEDecoder, type SSEMessage } from "../../streaming/sse-decoder.js";
import { upstreamStreamError } from "./upstream-errors.js";

export interface SSEReadOptions {
  /** For messages: the upstream's name. */
  upstream: string;
  /** Aborted when the caller leaves; a read error after it is the abort, not the upstream's fault. */
  signal: AbortSignal;
  /** The largest event accepted, in characters; default 8 MiB. */
  maxEventSize?: number;
  /** Told when the stream ended with `[DONE]` (a stream may also just end). */
  onDone?: () => void;
}

/** One event of an upstream stream; `data` is parsed JSON (`[DONE]` ends the iteration instead). */
export interface UpstreamEvent {
  event: string | undefined;
  data: unknown;
  /** Set when the upstream answered with one JSON body instead of a stream (it ignored `stream`). */
  body?: true;
}

const DEFAULT_MAX_EVENT_SIZE = 8 * 1024 * 1024;

/** The raw SSE messages of `body`, as they arrive. */
export async function* readSSE(
  body: ReadableStream<Uint8Array> | null,
  options: SSEReadOptions,
): AsyncGenerator<SSEMessage, void, undefined> {
  if (body === null) return;
  const decoder = new SSEDecoder({ maxEventSize: options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE });
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (error) {
        if (options.signal.aborted) throw options.signal.reason;
        throw upstreamStreamError(options.upstream, `broke off: ${describe(error)}`);
      }
      if (step.done) break;
      yield* decode(() => decoder.push(step.value), options.upstream);
    }
    yield* decode(() => decoder.flush(), options.upstream);
    finished = true;
  } finally {
    if (!finished) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * The JSON events of `body`. `[DONE]` ends the iteration (what follows it is not read); a stream that
 * ends without it ends the iteration too (many servers never send it). Empty data is skipped.
 */
export async function* readJSONEvents(
  body: ReadableStream<Uint8Array> | null,
  options: SSEReadOptions,
): AsyncGenerator<UpstreamEvent, void, undefined> {
  for await (const message of readSSE(body, options)) {
    const data = message.data.trim();
    if (data === "") continue;
    if (data === "[DONE]") {
      options.onDone?.();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw upstreamStreamError(options.upstream, "sent an event that is not JSON.");
    }
    yield { event: message.event, data: parsed };
  }
}

function decode(step: () => SSEMessage[], upstream: string): SSEMessage[] {
  try {
    return step();
  } catch (error) {
    if (error instanceof OpenResponsesError)
      throw upstreamStreamError(upstream, `is malformed: ${error.message}`);
    throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
