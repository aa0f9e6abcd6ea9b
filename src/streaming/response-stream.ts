/**
 * `ResponseStream`: the user-facing side of the streaming engine. One pipeline (SSE decoder → event
 * parser → protocol checker → accumulator) serves every transport: an HTTP body (`fromSSEResponse`), a
 * source of raw messages such as a WebSocket (`fromMessages`), or bytes passed on from a server to a
 * browser (`fromReadableStream`). Web standards only: this file runs in browsers and edge runtimes.
 *
 * The stream is consumed once, by whichever starts first: `for await`, `finalResponse()` (which drains
 * it), `textDeltas()` or `toReadableStream()`. Listeners added with `.on()` see every event whoever
 * consumes it.
 */

import {
  APIUserAbortError,
  type ErrorDetails,
  OpenResponsesError,
  ProtocolError,
  ResponseStreamError,
  ResponseTooLargeError,
  type StreamErrorKind,
} from "../errors.js";
import { formatSSE, SSE_DONE } from "../internal/sse.js";
import { type ResponseResource, type ResponseWithOutputText, withOutputText } from "../spec/index.js";
import { ResponseAccumulator } from "./accumulator.js";
import { drainAfterDone } from "./drain.js";
import type { LifecycleEventName, ResponseStreamEventName, ResponseStreamListener } from "./event-names.js";
import { parseMessage } from "./event-parser.js";
import type { ProtocolViolation, ResponseStreamEvent, StreamDifference } from "./events.js";
import { isTerminalEventType } from "./events.js";
import { ProtocolChecker } from "./protocol-checker.js";
import { type ByteReader, ReadAhead } from "./read-ahead.js";
import { DEFAULT_MAX_EVENT_SIZE, SSEDecoder, type SSEMessage } from "./sse-decoder.js";

export interface ResponseStreamOptions {
  /** Protocol violations throw a `ProtocolError` at the offending event instead of being recorded. */
  strict?: boolean;
  /** Cancels the underlying request; called by `.abort()` and when a `for await` loop exits early. */
  abort?: (reason?: unknown) => void;
  /** The HTTP response, when there is one. */
  response?: Response;
  /** The request id; defaults to the response's `x-request-id` header. */
  requestId?: string | null;
  /**
   * The largest accepted event, in characters: one SSE event, or one message of a message source (a
   * WebSocket). Past it the stream fails with `ResponseStreamError` kind `"malformed"`. Default
   * `DEFAULT_MAX_EVENT_SIZE` (64 MiB); the client's `maxEventBytes` sets it.
   */
  maxEventSize?: number;
  /**
   * The most a response may carry: bytes of a byte stream, characters of a message source's messages.
   * Past it the stream is cancelled with a `ResponseTooLargeError` holding the partial response. Default
   * `DEFAULT_MAX_RESPONSE_BYTES` (256 MiB).
   */
  maxResponseBytes?: number;
  /**
   * Byte streams: how long to wait, after the terminal event, for `[DONE]` or the end of the body before
   * closing the stream from this side (default 1000 ms). Some servers keep the connection open after the
   * terminal event; the response is complete then, so nothing may wait on them for ever.
   */
  terminalGraceMs?: number;
}

/** The default of `terminalGraceMs`. */
export const DEFAULT_TERMINAL_GRACE_MS = 1000;

/** 256 MiB, the default `maxResponseBytes` (the client's option of the same name sets it). */
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export type { ResponseStreamListener } from "./event-names.js";

/** A listener as stored: event listeners take the event, lifecycle ones an error or nothing. */
type AnyListener = (event?: unknown) => void;

type Outcome = { ok: true; value: ResponseWithOutputText } | { ok: false; error: unknown };

const encoder = new TextEncoder();
const ignore = (): undefined => undefined;

/**
 * V8 keeps the hidden classes ("maps") of a class's instances only while something refers to them, and
 * the optimised code of the engine (decoder, checker, accumulator, this class) is built on them: a full
 * garbage collection that finds no stream alive drops them, throws that code away, and the next stream
 * runs unoptimised until it is compiled again (on the parallel-calls bench, some 75 ms of CPU over the
 * two requests after it: docs/benchmarks.md). An idle engine, never read and holding no response, keeps
 * them; it is made anew each time a stream ends, so that it has the classes the last stream ended with.
 * (A property, not a variable only ever written, which a minifier could drop.) The parsed events' classes
 * are kept in events.ts.
 */
const idle: { engine?: ResponseStream } = {};

/**
 * A streamed response: typed events (iterate it, or listen with `.on()`), the response rebuilt as they
 * arrive (`snapshot`, `text`), and the final response (`finalResponse()`), over HTTP, a WebSocket turn, or
 * bytes passed on from a server. Read once; a failed response throws from the loop after its last event
 * and rejects `finalResponse()`, with the same `ResponseStreamError`.
 *
 * @example
 * ```ts
 * const stream = await client.responses.stream({ model: "my-model", input: "Hi" });
 * for await (const event of stream) {
 *   if (event.type === "response.output_text.delta") process.stdout.write(event.delta);
 * }
 * console.log(stream.violations.length, (await stream.finalResponse()).status);
 * ```
 */
export class ResponseStream implements AsyncIterable<ResponseStreamEvent> {
  // Declared, not defined: the constructor sets both, and a field list would only repeat their names.
  /** The underlying HTTP response, when the stream came over HTTP. */
  declare readonly response: Response | null;
  /** The server's request id (`x-request-id`), when known. */
  declare readonly requestId: string | null;

  /** The source: bytes (read ahead until consumed, see read-ahead.ts), or messages (a WebSocket turn). */
  readonly #reader: ByteReader | undefined;
  readonly #messages: AsyncIterator<SSEMessage> | undefined;
  readonly #options: ResponseStreamOptions;
  readonly #decoder: SSEDecoder;
  readonly #checker: ProtocolChecker;
  // The violations it repairs (an index out of bounds) are the checker's to record, or throw in strict mode.
  readonly #accumulator = new ResponseAccumulator({
    onViolation: (rule, message, event) => this.#checker.report(rule, message, event),
  });
  // Per name, each listener and whether it is a `once` one.
  readonly #listeners = new Map<string, Map<AnyListener, boolean>>();
  #listenerCount = 0;
  #received = 0;
  /** Bytes (or message characters) received, against `maxResponseBytes`. */
  #receivedBytes = 0;
  readonly #maxResponseBytes: number;
  readonly #maxEventSize: number;

  #consumed = false;
  #ended = false;
  #terminalType: string | null = null;
  #abortReason: unknown;
  #aborted = false;
  // Ends a pending read of a message source when the stream is aborted (a byte reader ends by itself
  // when cancelled). Set per read and cleared after it, so nothing accumulates across reads.
  #abortSignalled: (() => void) | undefined;
  /** When the grace period after the terminal event ends (set at the terminal event of a byte stream). */
  #graceDeadline = 0;
  /** A listener's own exception, passed on unchanged rather than reported as a broken stream. */
  #listenerError: { error: unknown } | null = null;
  /** Whether `end` (and `error`/`abort`) were announced. */
  #announced = false;

  #settled: Outcome | null = null;
  #completionResolve!: (value: ResponseWithOutputText) => void;
  #completionReject!: (error: unknown) => void;
  readonly #completion: Promise<ResponseWithOutputText>;

  private constructor(
    options: ResponseStreamOptions,
    reader?: ByteReader,
    messages?: AsyncIterator<SSEMessage>,
  ) {
    this.#options = options;
    this.response = options.response ?? null;
    this.requestId = options.requestId ?? this.response?.headers.get("x-request-id") ?? null;
    this.#decoder = new SSEDecoder({ maxEventSize: options.maxEventSize });
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
    // A body is taken in until someone reads the stream, so an unread one does not hold its connection
    // (and a Node process) open; see read-ahead.ts.
    this.#reader = reader && new ReadAhead(reader, this.#maxResponseBytes);
    this.#messages = messages;
    this.#checker = new ProtocolChecker({ strict: options.strict });
    this.#completion = new Promise<ResponseWithOutputText>((resolve, reject) => {
      this.#completionResolve = resolve;
      this.#completionReject = reject;
    });
    // The outcome is also delivered through iteration; this keeps an unread rejection from being "unhandled".
    this.#completion.catch(ignore);
  }

  /** The body of a `text/event-stream` HTTP response. */
  static fromSSEResponse(response: Response, options: ResponseStreamOptions = {}): ResponseStream {
    const body = response.body;
    return new ResponseStream(
      { ...options, response: options.response ?? response },
      body
        ? body.getReader()
        : {
            // No body: the stream fails at its first read, as a body that broke at once would.
            read: () =>
              Promise.reject(
                new ResponseStreamError("The streaming response has no body.", {
                  kind: "interrupted",
                  partialResponse: null,
                }),
              ),
            cancel: async () => undefined,
          },
    );
  }

  /**
   * @internal The client's HTTP transport: the body's reader itself (idle timeout included), so no
   * stream stands between the socket and the decoder. `options.response` is the HTTP response.
   */
  static fromBodyReader(
    reader: Pick<ReadableStreamDefaultReader<Uint8Array>, "read" | "cancel">,
    options: ResponseStreamOptions,
  ): ResponseStream {
    return new ResponseStream(options, reader);
  }

  /** Any transport that yields raw messages; a WebSocket yields `{ data }` per message. */
  static fromMessages(
    source: AsyncIterable<SSEMessage>,
    options: ResponseStreamOptions = {},
  ): ResponseStream {
    return new ResponseStream(options, undefined, source[Symbol.asyncIterator]());
  }

  /** The inverse of `toReadableStream()` (and any SSE byte stream): e.g. a stream passed to a browser. */
  static fromReadableStream(
    stream: ReadableStream<Uint8Array>,
    options: ResponseStreamOptions = {},
  ): ResponseStream {
    return new ResponseStream(options, stream.getReader());
  }

  // ── State ────────────────────────────────────────────────────────────────────────────────────────

  /** The response as rebuilt so far (a live object; copy it to keep one moment's state). */
  get snapshot(): ResponseResource {
    return this.#accumulator.snapshot;
  }

  /** The `output_text` received so far, across assistant messages. */
  get text(): string {
    return this.#accumulator.outputText;
  }

  /** How many events were received so far (extension events included, `[DONE]` not). */
  get eventCount(): number {
    return this.#received;
  }

  /** Protocol violations seen so far (lenient mode records them; strict mode throws the first). */
  get violations(): readonly ProtocolViolation[] {
    return this.#checker.violations;
  }

  /** Where the final snapshot or `.done` events disagreed with what was streamed. */
  get differences(): readonly StreamDifference[] {
    return this.#accumulator.differences;
  }

  // ── Listeners ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Calls `listener` for every event of `type` (`"event"` for all events), or at a moment of the stream:
   * `connect` (the response headers arrived; called soon after it is added, as the stream exists only
   * once they have), `error` (any failure: an `error` event, `response.failed`, a cut or broken stream,
   * a protocol violation in strict mode, a listener that threw), `abort` (instead of `error` when the
   * stream was aborted), and `end` (last, however the stream ended). Listeners run while the stream is
   * consumed, by iteration, `finalResponse()` or `done()`; an event listener that throws fails the
   * stream, and what a lifecycle listener throws is ignored. The name is checked: a typo does not compile.
   */
  on<T extends ResponseStreamEventName>(type: T, listener: ResponseStreamListener<T>): this {
    return this.#addListener(type, listener as AnyListener, false);
  }

  /** As `.on()`, for the first time only. */
  once<T extends ResponseStreamEventName>(type: T, listener: ResponseStreamListener<T>): this {
    return this.#addListener(type, listener as AnyListener, true);
  }

  /** Removes a listener added with `.on()` or `.once()`. */
  off<T extends ResponseStreamEventName>(type: T, listener: ResponseStreamListener<T>): this {
    if (this.#listeners.get(type)?.delete(listener as AnyListener)) this.#listenerCount -= 1;
    return this;
  }

  /**
   * Resolves once the stream has ended successfully (rejects with its failure), consuming it if nothing
   * does yet: `stream.on(...)` then `await stream.done()`.
   */
  async done(): Promise<void> {
    await this.finalResponse();
  }

  #addListener(type: string, listener: AnyListener, once: boolean): this {
    let entries = this.#listeners.get(type);
    if (!entries) {
      entries = new Map();
      this.#listeners.set(type, entries);
    }
    if (!entries.has(listener)) {
      entries.set(listener, once);
      this.#listenerCount += 1;
    }
    // The stream exists once the response headers are in: `connect` is due as soon as someone listens.
    if (type === "connect") queueMicrotask(() => this.#emitLifecycle("connect"));
    else if (this.#announced && (type === "end" || type === "error" || type === "abort")) {
      // Added after the end: still told, as a promise's late `then` is.
      queueMicrotask(() => this.#tellEnd(type));
    }
    return this;
  }

  // ── Consumption ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Resolves to the final response: the terminal snapshot reconciled with what was streamed (see
   * `differences`). Rejects with a `ResponseStreamError` carrying `partialResponse` after an `error`
   * event, on `response.failed`, or when the stream ends before a terminal event. Drains the stream if
   * nothing consumes it yet.
   */
  finalResponse(): Promise<ResponseWithOutputText> {
    if (!this.#consumed) {
      this.#consumed = true;
      void this.#drain();
    }
    return this.#completion;
  }

  /** The final response's `output_text`, joined across assistant messages. */
  async finalText(): Promise<string> {
    await this.finalResponse();
    return this.#accumulator.outputText;
  }

  /**
   * Iterates the events. Leaving the loop early (`break`, `return`, a throw) cancels the request. A
   * response that fails (`error`, `response.failed`, a cut stream) throws after its last event: the
   * same `ResponseStreamError` that `finalResponse()` rejects with, `partialResponse` attached.
   * `response.incomplete` is not a failure: the loop ends normally.
   *
   * @example
   * ```ts
   * try {
   *   for await (const event of stream) {
   *     if (event.type === "response.output_text.delta") process.stdout.write(event.delta);
   *   }
   * } catch (error) {
   *   if (error instanceof ResponseStreamError) console.error(error.kind, error.partialResponse?.output);
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<ResponseStreamEvent> {
    return this.#events(true);
  }

  /** The `output_text` deltas, as they arrive. */
  async *textDeltas(): AsyncGenerator<string, void, undefined> {
    for await (const event of this) {
      if (event.type === "response.output_text.delta") yield event.delta;
    }
  }

  /**
   * The events as SSE bytes (`event:` + `data:` per event, then `data: [DONE]`), e.g. to send from a
   * server route to a browser, where `ResponseStream.fromReadableStream()` reads them back unchanged.
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    // A failure the events tell (`error`, `response.failed`) is passed on as those events and `[DONE]`.
    const iterator = this.#events(false);
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          const next = await iterator.next();
          controller.enqueue(encoder.encode(next.done ? SSE_DONE : formatSSE(next.value)));
          if (next.done) controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: async (reason) => {
        this.abort(reason);
        await iterator.return?.();
      },
    });
  }

  /**
   * Cancels the request and ends the stream; `finalResponse()` then rejects with `APIUserAbortError`,
   * unless it already resolved (the terminal event arrived).
   */
  abort(reason?: unknown): void {
    if (this.#aborted || this.#ended) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#ended = true;
    this.#settle({ ok: false, error: this.#abortError() });
    try {
      this.#options.abort?.(reason);
    } finally {
      this.#abortSignalled?.();
      this.#cancelSource(reason);
      this.#announceEnd();
    }
  }

  // ── The pump ─────────────────────────────────────────────────────────────────────────────────────

  async #drain(): Promise<void> {
    try {
      for (;;) {
        // Listeners and the accumulator do the work; one synchronous pass per chunk keeps the drain fast.
        while (this.#deliverNext() !== null) {
          // next event
        }
        if (this.#ended || !(await this.#fill())) return;
      }
    } catch (error) {
      // Recorded (settled) by fail(); finalResponse() reports it.
      this.#fail(error);
    }
  }

  /**
   * The events one at a time, for the one consumer a stream has. `throwTold`: whether a failure the
   * caller saw as events (`error`, `response.failed`) throws after them too (iteration), or ends quietly
   * (SSE re-encoding, where the events are the message).
   */
  #events(throwTold: boolean): AsyncGenerator<ResponseStreamEvent, void, undefined> {
    if (this.#consumed) {
      throw new OpenResponsesError("This ResponseStream is already being consumed: a stream is read once.");
    }
    this.#consumed = true;
    return this.#generate(throwTold);
  }

  async *#generate(throwTold: boolean): AsyncGenerator<ResponseStreamEvent, void, undefined> {
    try {
      for (;;) {
        let event: ResponseStreamEvent | null;
        try {
          event = this.#deliverNext();
          if (event === null) {
            if (this.#ended || !(await this.#fill())) break;
            continue;
          }
        } catch (error) {
          const reported = this.#fail(error);
          // A failure after the terminal event loses nothing: the stream simply ends.
          if (reported === undefined) break;
          throw reported;
        }
        yield event;
      }
      // A failed response throws after its last event, so a loop cannot mistake it for a complete one.
      const outcome = this.#settled;
      const told = this.#terminalType !== null || this.#accumulator.errorEvent !== null;
      if (outcome && !outcome.ok && (throwTold || !told)) throw outcome.error;
    } finally {
      if (!this.#ended) {
        if (this.#terminalType !== null) {
          // Left after the terminal event (before `[DONE]`): the response is complete, not aborted.
          this.#finish();
          this.#cancelSource();
        } else {
          this.abort(new APIUserAbortError("The stream's consumer stopped early."));
        }
      }
    }
  }

  // The messages of the chunk read last, processed one at a time as they are handed out: the snapshot,
  // the text, the checker and the listeners are always exactly at the event being delivered, however
  // many events one chunk carried.
  #batch: SSEMessage[] = [];
  #batchIndex = 0;
  #batchAtEnd = false;

  /** Reads the next chunk into the batch; `false` once the source has ended (the outcome is settled). */
  async #fill(): Promise<boolean> {
    const read = await this.#readMessages();
    if (read === null) {
      this.#finish();
      return false;
    }
    this.#batch = read;
    this.#batchIndex = 0;
    return true;
  }

  /** Processes batched messages until one is an event (returned); `null` when the batch is used up. */
  #deliverNext(): ResponseStreamEvent | null {
    while (this.#batchIndex < this.#batch.length) {
      const message = this.#batch[this.#batchIndex++] as SSEMessage;
      const atEnd = this.#batchAtEnd;
      const last = this.#batchIndex === this.#batch.length;
      if (last) {
        this.#batch = [];
        this.#batchIndex = 0;
      }
      const event = this.#processOne(message, atEnd);
      if (last && atEnd) this.#finish();
      if (event !== null) return event;
    }
    return null;
  }

  /**
   * `read`, or `null` if the stream is aborted first (message sources may never answer) or, with `ms`,
   * once that time has passed. Handlers on both outcomes, so a read that fails after losing the race is
   * never an unhandled rejection.
   */
  #race<T>(read: Promise<T>, ms?: number): Promise<T | null> {
    return new Promise((resolve, reject) => {
      const stop = () => resolve(null);
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (ms === undefined) this.#abortSignalled = stop;
      else timer = setTimeout(stop, ms);
      const settled = () => {
        clearTimeout(timer);
        this.#abortSignalled = undefined;
      };
      read.then(
        (result) => {
          settled();
          resolve(result);
        },
        (error: unknown) => {
          settled();
          reject(error);
        },
      );
    });
  }

  /** The raw messages of the next chunk (`batchAtEnd` for the decoder's last ones); `null` at the end. */
  async #readMessages(): Promise<SSEMessage[] | null> {
    const messages = this.#messages;
    this.#batchAtEnd = false;
    if (messages) {
      const result = await this.#race(messages.next());
      if (result === null || result.done) return null;
      const data = result.value.data;
      const size = typeof data === "string" ? data.length : 0;
      this.#count(size);
      if (size > this.#maxEventSize) {
        throw this.#streamError(
          `A message exceeded the size limit of ${this.#maxEventSize} characters (the client's maxEventBytes).`,
          "malformed",
        );
      }
      return [result.value];
    }
    const reader = this.#reader as ByteReader;
    for (;;) {
      // No race before the terminal event: cancelling the reader (abort) ends a pending read with `done`.
      // After it, the response is complete and the wait for `[DONE]` or the end of the body is bounded.
      const remaining = this.#graceDeadline - Date.now();
      const result =
        this.#terminalType === null
          ? await reader.read()
          : remaining > 0
            ? await this.#race(reader.read(), remaining)
            : null;
      if (result === null) {
        // The server kept the connection open past the grace period: close it from this side.
        this.#cancelSource();
        return null;
      }
      if (this.#ended) return null;
      if (result.done) {
        const tail = this.#decoder.flush();
        this.#batchAtEnd = true;
        return tail.length === 0 ? null : tail;
      }
      this.#count(result.value.byteLength);
      const batch = this.#decoder.push(result.value);
      if (batch.length > 0) return batch;
    }
  }

  /** Counts what arrived against `maxResponseBytes`; past it, the stream fails with what it rebuilt so far. */
  #count(size: number): void {
    this.#receivedBytes += size;
    if (this.#receivedBytes <= this.#maxResponseBytes) return;
    throw new ResponseTooLargeError(
      `The response is larger than maxResponseBytes (${this.#maxResponseBytes} bytes); the stream was cancelled.`,
      {
        limitName: "maxResponseBytes",
        limit: this.#maxResponseBytes,
        receivedBytes: this.#receivedBytes,
        partialResponse: this.#accumulator.snapshot,
      },
    );
  }

  /** One message: parsed, checked, applied to the snapshot, given to the listeners. */
  #processOne(message: SSEMessage, atEnd: boolean): ResponseStreamEvent | null {
    if (this.#ended) return null;
    let parsed: ReturnType<typeof parseMessage>;
    try {
      parsed = parseMessage(message);
    } catch (error) {
      if (atEnd && this.#terminalType === null && error instanceof ResponseStreamError) {
        // An unfinished last event: the body was cut mid-event, not a server sending bad JSON.
        throw this.#streamError(
          "The stream ended in the middle of an event.",
          "interrupted",
          undefined,
          error,
        );
      }
      throw error;
    }
    if (parsed.kind === "done") {
      // Ended: the rest of the batch, if any, is skipped (see the first line).
      this.#finish();
      // A byte body is read to its end in the background (bounded) so its connection can be reused.
      if (this.#reader) drainAfterDone(this.#reader);
      else this.#cancelSource();
      return null;
    }
    if (parsed.kind === "invalid") {
      this.#checker.report("S4", parsed.message, undefined);
      return null;
    }
    const event = parsed.event;
    this.#received += 1;
    this.#checker.check(event, parsed.issue);
    this.#accumulator.apply(event);
    if (this.#listenerCount > 0) this.#emit(event);
    if (isTerminalEventType(event.type) && this.#terminalType === null) {
      this.#terminalType = event.type;
      // A message source (a WebSocket) may carry the next turn: this turn ends at its terminal event.
      if (this.#messages) {
        this.#finish();
        this.#cancelSource();
        return event;
      }
      // The terminal event, not `[DONE]`, completes a response: settle now, so finalResponse() never
      // waits on a server that keeps the connection open. What follows is still read (and checked)
      // for a bounded time. Strict mode settles at the end instead, so that a late event still fails.
      this.#graceDeadline = Date.now() + (this.#options.terminalGraceMs ?? DEFAULT_TERMINAL_GRACE_MS);
      if (!this.#options.strict) this.#settle(this.#outcome());
    }
    return event;
  }

  #emit(event: ResponseStreamEvent): void {
    try {
      // `error` names the stream's failure (an Error); the spec's `error` event reaches it as a
      // ResponseStreamError of kind `error_event`, and `event` listeners still get the raw event.
      if (event.type !== "error") this.#callEach(event.type, event);
      const original = (event as { original_type?: unknown }).original_type;
      if (typeof original === "string") this.#callEach(original, event);
      this.#callEach("event", event);
    } catch (error) {
      this.#listenerError = { error };
      throw error;
    }
  }

  #callEach(type: string, event: ResponseStreamEvent): void {
    const entries = this.#listeners.get(type);
    if (!entries) return;
    for (const [listener, once] of entries) {
      if (once) {
        entries.delete(listener);
        this.#listenerCount -= 1;
      }
      listener(event);
    }
  }

  /** Tells the lifecycle listeners how the stream ended; called once, when it has. */
  #announceEnd(): void {
    if (this.#announced) return;
    this.#announced = true;
    // With no source: it is never read, and reads nothing.
    idle.engine = new ResponseStream({});
    if (this.#listenerCount > 0) this.#tellEnd();
  }

  /**
   * Tells the `error` or `abort` listeners (whichever the failure is, if any) and then the `end` ones how
   * the stream ended; with `only`, the listeners of that name alone.
   */
  #tellEnd(only?: string): void {
    const failure = this.#failure();
    const name = failure && (failure instanceof APIUserAbortError ? "abort" : "error");
    if (name && (only ?? name) === name) this.#emitLifecycle(name, failure);
    if ((only ?? "end") === "end") this.#emitLifecycle("end");
  }

  /** The stream's failure as an `Error`, or null when it succeeded (or has not ended). */
  #failure(): Error | null {
    const outcome = this.#settled;
    if (!outcome || outcome.ok) return null;
    const error = outcome.error;
    return error instanceof Error ? error : new OpenResponsesError(String(error));
  }

  #emitLifecycle(type: LifecycleEventName, argument?: unknown): void {
    const entries = this.#listeners.get(type);
    if (!entries || entries.size === 0) return;
    // Each of these moments happens once per stream: its listeners are done with afterwards.
    const targets = [...entries.keys()];
    this.#listenerCount -= entries.size;
    entries.clear();
    for (const listener of targets) {
      try {
        listener(argument);
      } catch {
        // A lifecycle listener cannot fail a stream that has already ended (or not yet begun).
      }
    }
  }

  /**
   * The source ended (or sent `[DONE]`, or a terminal event on a message source): settle the outcome.
   * (An aborted stream is already ended and settled.)
   */
  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    let failed: Outcome | undefined;
    try {
      this.#checker.finish();
    } catch (error) {
      failed = { ok: false, error };
    }
    this.#settle(failed ?? this.#outcome());
    this.#announceEnd();
  }

  #outcome(): Outcome {
    const final = this.#accumulator.finalResponse;
    const errorEvent = this.#accumulator.errorEvent;
    let error: ResponseStreamError;
    if (errorEvent) {
      const message = errorEvent.message || "The server reported an error during the stream.";
      error = this.#streamError(message, "error_event", { ...errorEvent, message }, undefined, final);
    } else if (final === null) {
      error = this.#streamError("The stream ended before a terminal event.", "interrupted");
    } else if (this.#terminalType === "response.failed") {
      const details = (final as { error?: { code?: string; message?: string } | null }).error;
      const message = details?.message || "The response failed.";
      error = this.#streamError(
        message,
        "response_failed",
        { message, code: details?.code },
        undefined,
        final,
      );
    } else return { ok: true, value: withOutputText(final) };
    return { ok: false, error };
  }

  /**
   * A `ResponseStreamError` of the stream, with `partial` (the terminal response) or else the response
   * rebuilt so far; `error`'s type, code and param become the error's (redacted, as the class does).
   */
  #streamError(
    message: string,
    kind: StreamErrorKind,
    error?: ErrorDetails,
    cause?: unknown,
    partial?: ResponseResource | null,
  ): ResponseStreamError {
    return new ResponseStreamError(message, {
      kind,
      partialResponse: partial ?? this.#accumulator.snapshot,
      error,
      cause,
    });
  }

  /**
   * A failure while reading or processing: keep the partial response and stop the request. Returns the
   * error to hand to the consumer, or `undefined` when the response was already complete.
   */
  #fail(error: unknown): unknown {
    if (this.#ended) {
      // Already over (aborted, or ended by `[DONE]`): what settled the stream is the story.
      if (this.#settled && !this.#settled.ok) return this.#settled.error;
      return this.#aborted ? this.#abortError() : undefined;
    }
    let reported = error;
    if (this.#listenerError?.error === error || error instanceof ResponseTooLargeError) {
      reported = error;
    } else if (
      this.#terminalType !== null &&
      !(error instanceof ProtocolError) &&
      !(error instanceof APIUserAbortError)
    ) {
      // The response is complete: a connection dropped (or an idle timeout, or junk) after its terminal
      // event loses nothing. The client's transport reports a drop as a typed ResponseStreamError, so
      // this cannot be limited to untyped errors.
      this.#finish();
      this.#cancelSource();
      return undefined;
    } else if (error instanceof ResponseStreamError) {
      // Its details carried over, with the response rebuilt so far.
      reported = this.#streamError(error.message, error.kind, error, error.cause);
    } else if (!(error instanceof OpenResponsesError)) {
      const detail = error instanceof Error ? `: ${error.message}` : "";
      reported = this.#streamError(`The stream was interrupted${detail}`, "interrupted", undefined, error);
    }
    this.#ended = true;
    this.#settle({ ok: false, error: reported });
    try {
      this.#options.abort?.(reported);
    } catch {
      // The transport's abort must not hide the stream's own error.
    }
    this.#cancelSource(reported);
    this.#announceEnd();
    return reported;
  }

  #abortError(): unknown {
    const reason = this.#abortReason;
    if (reason instanceof OpenResponsesError) return reason;
    return new APIUserAbortError("The stream was aborted.", { cause: reason });
  }

  #settle(outcome: Outcome): void {
    if (this.#settled) return;
    this.#settled = outcome;
    if (outcome.ok) this.#completionResolve(outcome.value);
    else this.#completionReject(outcome.error);
  }

  #cancelSource(reason?: unknown): void {
    if (this.#reader) this.#reader.cancel(reason).catch(ignore);
    else this.#messages?.return?.()?.catch?.(ignore);
  }
}
