/**
 * One client connection in WebSocket mode, independent of the socket library: it takes text messages in
 * and hands text messages out. It runs turns one at a time in arrival order (W3), remembers the latest
 * response so `store: false` can continue on the same socket (W4), forgets a response whose continuation
 * failed (W5), ends the connection at its age limit (W7) or when it sits idle, and answers every bad
 * message with an error envelope (W8) while staying usable. Every message it sends, error replies
 * included, waits for the socket to take it (`send` may return a promise), and nothing else is read
 * or sent meanwhile: a client that does not read is slowed down, never buffered for.
 */

import { isRecord } from "../../internal/guards.js";
import type { CreateResponseBody } from "../../spec/index.js";
import type { ResponsesEngine } from "../kit/engine.js";
import { LoopYielder } from "../kit/yield.js";
import type { ResponseStore, StoredResponse } from "../model.js";
import { type ErrorEnvelope, envelopeFrom, errorEnvelope } from "./envelope.js";
import { DEFAULT_IDLE_TIMEOUT_MS } from "./limits.js";

/** What WebSocket mode needs from the server kit's engine (the one the HTTP handler uses). */
export type WebSocketEngine = Pick<ResponsesEngine, "parseCreateBody" | "run">;

export interface ConnectionOptions {
  engine: WebSocketEngine;
  /** The server's shared store (responses created with `store` not false). */
  store: ResponseStore;
  /** Milliseconds before the connection ends with `websocket_connection_limit_reached` (W7). */
  maxAgeMs: number;
  /** Sends one message; may return a promise that settles when the socket can take more (backpressure). */
  send(text: string): void | Promise<void>;
  close(code: number, reason: string): void;
  /** The upgrade request's headers, handed to the model of every turn (`ModelRequest.headers`). */
  headers?: Headers;
  /**
   * Stops / restarts reading messages from the socket. Called when the queue of waiting turns is full
   * and when it has room again, so a client that sends faster than turns run is slowed down by TCP
   * instead of growing the server's memory (W3 keeps every message, in order; none is refused).
   */
  pause?(): void;
  resume?(): void;
  /** Waiting messages at which reading pauses. Default 8. */
  maxQueuedMessages?: number;
  /** Waiting characters at which reading pauses. Default 32 Mi (one maximal message). */
  maxQueuedChars?: number;
  /**
   * W7: how long a turn still in flight at the age limit may run on before it is stopped, so a model
   * that never ends cannot hold the connection past its limit. Default 60 seconds.
   */
  limitGraceMs?: number;
  /**
   * How long the connection may wait for the client's next message while no turn runs or waits; then
   * it ends as at the age limit (`websocket_connection_limit_reached`, so clients open a new one).
   * Default 5 minutes; `Infinity` for none.
   */
  idleTimeoutMs?: number;
}

export const DEFAULT_MAX_QUEUED_MESSAGES = 8;
export const DEFAULT_MAX_QUEUED_CHARS = 32 * 1024 * 1024;
export const DEFAULT_LIMIT_GRACE_MS = 60_000;

const MAX_TIMER_MS = 2_147_483_647;

/**
 * Fields of an HTTP request that mean nothing on a WebSocket, where every turn streams (W1/W2): some
 * clients send them anyway, so they are ignored. `background` asks for something this mode cannot do
 * (a response that outlives its turn), so it is still refused.
 */
const IGNORED_HTTP_FIELDS = ["stream", "stream_options"] as const;

function itemOf(stored: StoredResponse | null, itemId: string): StoredResponse["input"][number] | undefined {
  if (stored === null) return undefined;
  return (
    stored.response.output.find((item) => item.id === itemId) ??
    stored.input.find((item) => item.id === itemId)
  );
}

export class ResponsesConnection {
  readonly #options: ConnectionOptions;
  readonly #queue: string[] = [];
  readonly #limitTimer: ReturnType<typeof setTimeout> | undefined;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Sends still waiting for the socket to take them (backpressure). */
  #waitingSends = 0;
  readonly #loop = new LoopYielder();
  #endReason: "age" | "idle" = "age";
  #queuedChars = 0;
  #paused = false;
  /** W4: the latest response of this connection, whatever its `store` flag. */
  #latest: StoredResponse | null = null;
  #running = false;
  #limitReached = false;
  #ended = false;
  #abort: AbortController | null = null;
  /** Sequence numbers increase across the whole connection (rule S4). */
  #sequence = 0;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    // A non-finite limit means none; setTimeout cannot wait longer than about 24.8 days anyway.
    this.#limitTimer = Number.isFinite(options.maxAgeMs)
      ? setTimeout(() => this.#onAgeLimit(), Math.min(options.maxAgeMs, MAX_TIMER_MS))
      : undefined;
    // An idle connection must not keep the process alive on its own.
    this.#limitTimer?.unref?.();
    this.#armIdle();
  }

  /** The id held in connection-local memory, for tests and diagnostics. */
  get latestResponseId(): string | null {
    return this.#latest?.response.id ?? null;
  }

  /** A text message from the client; queued behind the turn in flight (W3). */
  receive(text: string): void {
    if (this.#ended || this.#limitReached) return;
    clearTimeout(this.#idleTimer);
    // A lane id asks for multiplexing, which W3 rules out: say so at once rather than queue it behind
    // the turn in flight (the client would wait on a lane that never answers). Not while a send waits
    // for the client to read: then it queues, and its answer waits its turn like any other.
    if (this.#waitingSends === 0 && text.includes('"stream_id"') && this.#refuseLane(text)) {
      this.#armIdle();
      return;
    }
    this.#queue.push(text);
    this.#queuedChars += text.length;
    if (!this.#running) void this.#drain();
    // Checked after the drain took the first message: only turns that really wait count.
    this.#applyBackpressure();
  }

  /** The socket closed: stop the running turn and forget the queue. */
  dispose(): void {
    this.#ended = true;
    clearTimeout(this.#limitTimer);
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#idleTimer);
    this.#clearQueue();
    this.#abort?.abort(new Error("The WebSocket client disconnected."));
  }

  /** Starts waiting for the client's next message, when nothing runs and nothing waits. */
  #armIdle(): void {
    clearTimeout(this.#idleTimer);
    const idle = this.#options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    if (this.#ended || this.#limitReached || this.#running || !Number.isFinite(idle)) return;
    this.#idleTimer = setTimeout(
      () => {
        if (this.#running || this.#queue.length > 0) return;
        this.#endReason = "idle";
        this.#onAgeLimit();
      },
      Math.min(idle, MAX_TIMER_MS),
    );
    this.#idleTimer.unref?.();
  }

  /** Answers a `response.create` that names a `stream_id` with an error envelope; false for others. */
  #refuseLane(text: string): boolean {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return false;
    }
    if (!isLane(message)) return false;
    void this.#send(laneEnvelope());
    return true;
  }

  #applyBackpressure(): void {
    const full =
      this.#queue.length >= (this.#options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES) ||
      this.#queuedChars >= (this.#options.maxQueuedChars ?? DEFAULT_MAX_QUEUED_CHARS);
    if (full && !this.#paused && !this.#ended) {
      this.#paused = true;
      this.#options.pause?.();
    } else if (!full && this.#paused) {
      this.#paused = false;
      this.#options.resume?.();
    }
  }

  #clearQueue(): void {
    this.#queue.length = 0;
    this.#queuedChars = 0;
    // A paused socket would never read the client's close frame.
    if (this.#paused) {
      this.#paused = false;
      this.#options.resume?.();
    }
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (!this.#ended && !this.#limitReached) {
        const next = this.#queue.shift();
        if (next === undefined) break;
        this.#queuedChars -= next.length;
        this.#applyBackpressure();
        await this.#handle(next);
        // Bad messages are answered without any I/O wait: a chunk of thousands of them would otherwise
        // be worked through in microtasks, holding up every other client until the last is answered.
        if (this.#loop.due()) await this.#loop.yield();
      }
    } finally {
      this.#running = false;
    }
    if (this.#limitReached) this.#endAtLimit();
    else this.#armIdle();
  }

  /** Sends one message; awaited everywhere, so the socket's backpressure holds for every reply. */
  async #send(value: unknown): Promise<void> {
    if (this.#ended) return;
    const sent = this.#options.send(JSON.stringify(value));
    if (sent === undefined) return;
    this.#waitingSends++;
    try {
      await sent;
    } finally {
      this.#waitingSends--;
    }
  }

  async #handle(text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      await this.#send(errorEnvelope(400, "invalid_json", "The message is not valid JSON."));
      return;
    }
    // Queued while a send waited: refused here, in order.
    if (isLane(message)) {
      await this.#send(laneEnvelope());
      return;
    }
    if (!isRecord(message) || message.type !== "response.create") {
      const type = isRecord(message) ? JSON.stringify(message.type ?? null) : "(not an object)";
      await this.#send(
        errorEnvelope(
          400,
          "unsupported_message_type",
          `Unsupported message type ${type}; send response.create.`,
          {
            param: "type",
          },
        ),
      );
      return;
    }
    const { type: _type, ...rawBody } = message;
    for (const field of IGNORED_HTTP_FIELDS) delete rawBody[field];
    const previousId = typeof rawBody.previous_response_id === "string" ? rawBody.previous_response_id : null;
    const failed = (envelope: ErrorEnvelope): Promise<void> => {
      // W5: a failed continuation evicts the response it continued from.
      if (previousId && this.#latest?.response.id === previousId) this.#latest = null;
      return this.#send(envelope);
    };
    if (rawBody.background !== undefined && rawBody.background !== null && rawBody.background !== false) {
      await failed(
        errorEnvelope(
          400,
          "unsupported_parameter",
          "`background` is not supported on a WebSocket: each turn streams on this connection. Omit " +
            "`background` (or send false), or use HTTP for background responses where a server offers them.",
          { param: "background" },
        ),
      );
      return;
    }
    let parsed: ReturnType<WebSocketEngine["parseCreateBody"]>;
    try {
      parsed = this.#options.engine.parseCreateBody(rawBody);
    } catch (thrown) {
      await failed(envelopeFrom(thrown, 400));
      return;
    }
    if (!parsed.ok) {
      await failed(envelopeFrom(parsed.error, 400));
      return;
    }
    const body = parsed.body;
    if (previousId) {
      // Checked here so the envelope names the W4 code whatever the engine would call it.
      const found = await this.#lookup(previousId);
      if (found instanceof StoreLookupFailure) {
        // Answered here rather than asking the store a second time through the engine: a store that is
        // down would make the client wait for two timeouts.
        const unavailable = (found.cause as { code?: unknown } | null)?.code === "store_unavailable";
        await failed(
          errorEnvelope(
            500,
            unavailable ? "store_unavailable" : "store_error",
            unavailable
              ? "The response store is unavailable; try again shortly."
              : "The response store failed.",
            { type: "server_error" },
          ),
        );
        return;
      }
      if (found === undefined) {
        await failed(
          errorEnvelope(
            400,
            "previous_response_not_found",
            `Previous response '${previousId}' was not found.`,
            {
              param: "previous_response_id",
            },
          ),
        );
        return;
      }
    }
    await this.#run(body, failed);
  }

  /** The stored response, `undefined` when unknown, or the store's failure (the turn is then a 500). */
  async #lookup(id: string): Promise<StoredResponse | undefined | StoreLookupFailure> {
    if (this.#latest?.response.id === id) return this.#latest;
    try {
      return await this.#options.store.get(id);
    } catch (error) {
      return new StoreLookupFailure(error);
    }
  }

  async #run(body: CreateResponseBody, failed: (envelope: ErrorEnvelope) => Promise<void>): Promise<void> {
    const shared = this.#options.store;
    // The engine resolves `previous_response_id` through this store, so it sees connection-local memory
    // first; it saves into the shared store only when `store` is not false.
    const store: ResponseStore = {
      get: (id) => (this.#latest?.response.id === id ? this.#latest : shared.get(id)),
      set: (id, value) => shared.set(id, value),
      delete: (id) => shared.delete?.(id),
      findItem: (itemId) => itemOf(this.#latest, itemId) ?? shared.findItem?.(itemId),
    };
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const result = await this.#options.engine.run(body, {
        signal: abort.signal,
        store,
        ...(this.#options.headers === undefined ? {} : { headers: this.#options.headers }),
        // W4: every finished response, `store: false` included, becomes the connection's memory.
        onFinished: (stored) => {
          if (stored.response.status !== "failed") this.#latest = stored;
        },
      });
      if (!result.ok) {
        await failed(envelopeFrom(result.error, 400));
        return;
      }
      for await (const event of result.events) {
        if (this.#ended) return;
        // Awaited so a slow client slows the model down instead of growing the socket's buffer.
        await this.#send({ ...event, sequence_number: this.#sequence++ });
        if (event.type === "response.failed") this.#evictAfterFailure(body);
      }
    } catch (thrown) {
      if (this.#ended) return;
      await failed(envelopeFrom(thrown, 500));
    } finally {
      this.#abort = null;
    }
  }

  #evictAfterFailure(body: CreateResponseBody): void {
    if (body.previous_response_id && this.#latest?.response.id === body.previous_response_id)
      this.#latest = null;
  }

  #onAgeLimit(): void {
    if (this.#ended) return;
    this.#limitReached = true;
    this.#clearQueue();
    if (!this.#running) {
      this.#endAtLimit();
      return;
    }
    // The turn in flight may finish, but only within the grace period: past it the turn is stopped
    // (the client gets its events so far, no terminal event, then the limit envelope) and the
    // connection ends, even when the model ignores its signal or the client stopped reading.
    const grace = Math.min(this.#options.limitGraceMs ?? DEFAULT_LIMIT_GRACE_MS, MAX_TIMER_MS);
    this.#graceTimer = setTimeout(() => {
      this.#abort?.abort(new Error("The WebSocket connection reached its age limit."));
      this.#endAtLimit();
    }, grace);
    this.#graceTimer.unref?.();
  }

  /**
   * W7: tell the client why, then close; turns still queued were never started and can be resent. An
   * idle connection ends the same way, so clients that handle the age limit reconnect for it too.
   */
  #endAtLimit(): void {
    if (this.#ended) return;
    const idle = this.#endReason === "idle";
    void this.#send(
      errorEnvelope(
        400,
        "websocket_connection_limit_reached",
        idle
          ? "This WebSocket connection was idle for too long. Open a new connection to continue."
          : "This WebSocket connection reached its age limit. Open a new connection to continue.",
      ),
    );
    this.#ended = true;
    clearTimeout(this.#limitTimer);
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#idleTimer);
    this.#options.close(1000, idle ? "idle timeout" : "connection age limit reached");
  }
}

/** A message that names a `stream_id` lane. */
function isLane(message: unknown): boolean {
  return isRecord(message) && message.stream_id !== undefined && message.stream_id !== null;
}

function laneEnvelope(): ErrorEnvelope {
  return errorEnvelope(
    400,
    "unsupported_parameter",
    "`stream_id` is not supported: a connection carries one response at a time, in order (W3). " +
      "Omit `stream_id`, and open another connection to run responses in parallel.",
    { param: "stream_id" },
  );
}

/** A store that threw or timed out while looking up `previous_response_id`. */
class StoreLookupFailure {
  constructor(readonly cause: unknown) {}
}
