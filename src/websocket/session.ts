/**
 * `ResponsesSocket`: one WebSocket connection to `{base}/responses` (rule W1) carrying turns one at a
 * time (rule W3). Each turn is a `ResponseStream` built from the socket's messages, so it is read exactly
 * like an SSE stream. Messages are routed to the turn in flight as they arrive, whether or not anyone is
 * reading, so an unread turn never blocks the next one.
 */

import { type ConversationItem, normalizeInput } from "../conversation/items.js";
import { stripCredentials } from "../core/base-url.js";
import type { ResponseCreateParams } from "../core/request-types.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  OpenResponsesError,
  PreviousResponseNotFoundError,
  ResponseStreamError,
  WebSocketConnectionLimitError,
  WebSocketError,
} from "../errors.js";
import type { CreateResponseBody, ResponseResource } from "../spec/index.js";
import { parseMessage, ResponseAccumulator, ResponseStream } from "../streaming/index.js";
import { MessageChannel } from "./channel.js";
import { classifyMessage, envelopeToError } from "./envelope.js";
import { TurnHistory } from "./history.js";
import { holdProcess } from "./hold.js";
import {
  messageText,
  resolveSocketFactory,
  SOCKET_OPEN_STATE,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./platform.js";

/** A turn's request: the create body without the HTTP-only fields (rule W1). */
export type WebSocketCreateBody = Omit<ResponseCreateParams, "stream" | "stream_options" | "background"> & {
  /** Accepted for convenience and removed: a WebSocket turn is always streamed. */
  stream?: boolean | null;
};

export interface RecoveryOptions {
  /** Reconnections in a row without a completed turn before giving up. Default 3. */
  maxReconnects?: number;
}

export interface ResponsesSocketOptions {
  /** `ws://` or `wss://` URL of the responses resource, e.g. `wss://host/v1/responses`. */
  url: string;
  /** Request headers for the upgrade (auth); resolved again for each (re)connection. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** Subprotocols to offer (the only thing besides the URL a browser can add to the upgrade). */
  protocols?: string[];
  /** A WebSocket class to use instead of the platform's or the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** Protocol checker mode for every turn; `true` throws `ProtocolError` on a rule violation. */
  strict?: boolean;
  /**
   * Opt-in recovery (rules W7, W9). On a dropped connection or `websocket_connection_limit_reached` the
   * session opens a new connection; turns that had not started are sent there, and a turn continuing from
   * a response the new connection cannot see (`store: false`) is sent with the chain's full context
   * instead of `previous_response_id`. A turn that had started streaming is never re-run: it fails with
   * the partial response.
   */
  recovery?: boolean | RecoveryOptions;
  /** Milliseconds to wait for the connection to open. Default 30 000. */
  openTimeout?: number;
  /**
   * Longest silence, in milliseconds, allowed while a turn is in flight (after it is sent, and between
   * its messages). Default 10 minutes, the client's `timeout` through `connect()`; 0 or Infinity
   * disables it. When it passes the turn fails with `APIConnectionTimeoutError` and the connection is
   * dropped: the server may still be running that turn, and rule W3 lets no other turn share it.
   */
  timeout?: number;
  /** Filled into a turn whose body has no `model`. */
  model?: string;
  /**
   * The most characters of messages one turn may receive before its stream fails with a
   * `ResponseTooLargeError` (partial response kept). Default 256 MiB, the client's `maxResponseBytes`
   * through `connect()`.
   */
  maxResponseBytes?: number;
  /**
   * The longest a turn may take, in milliseconds, from when it is sent to its terminal event, however
   * steadily the server trickles messages (which `timeout` never catches). When it passes, the turn fails
   * like an idle timeout (`APIConnectionTimeoutError`, the connection given up). Default none; the
   * client's `totalTimeout` through `connect()`.
   */
  totalTimeout?: number;
}

/** Raised synchronously for a body a WebSocket turn must not carry (rule W1). */
export class WebSocketRequestError extends OpenResponsesError {
  readonly param: string;
  constructor(message: string, param: string) {
    super(message);
    this.param = param;
  }
}

interface Turn {
  body: CreateResponseBody;
  channel: MessageChannel<{ event?: string; data: string }>;
  /** Events received for this turn; 0 means the server has not started it. */
  events: number;
  /**
   * With recovery only: the turn's response rebuilt from its events, for the history. The terminal
   * snapshot alone may lack what was streamed (some servers send `output: []` there).
   */
  accumulator: ResponseAccumulator | null;
  /** How often this turn was re-sent after a recoverable failure. */
  resends: number;
  aborted: boolean;
}

interface Connection {
  id: number;
  socket: WebSocketLike;
  /** Set once the connection can take no more turns (closed, or the age limit was announced). */
  finished: boolean;
}

const DEFAULT_OPEN_TIMEOUT_MS = 30_000;
const DEFAULT_TURN_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * A WebSocket session (`client.responses.connect()`): turns run one at a time on one connection, each a
 * `ResponseStream`; `store: false` continuations stay in the connection's memory (W4). An idle session
 * does not keep a Node process alive, but `close()` it when done.
 *
 * @example
 * ```ts
 * const session = client.responses.connect();
 * const first = await session.create({ model: "my-model", input: "Hi" }).finalResponse();
 * await session.create({ model: "my-model", previous_response_id: first.id, input: "More" }).finalResponse();
 * await session.close();
 * ```
 */
export class ResponsesSocket {
  readonly url: string;
  /** The URL as errors show it: no query (where a token may travel) and no user info. */
  readonly #safeUrl: string;
  readonly #options: ResponsesSocketOptions;
  readonly #queue: Turn[] = [];
  readonly #history: TurnHistory | null;
  readonly #maxReconnects: number;
  #active: Turn | null = null;
  #connection: Connection | null = null;
  #opening: Promise<Connection> | null = null;
  /** The socket being opened, so close() can abort the handshake instead of waiting for it. */
  #openingSocket: WebSocketLike | null = null;
  /** The idle timer of the turn in flight (one turn at a time, so one timer). */
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The `totalTimeout` timer of the turn in flight. */
  #turnTimer: ReturnType<typeof setTimeout> | undefined;
  #connectionCount = 0;
  #reconnectsInARow = 0;
  #closed = false;
  /** Without recovery, the loss that ended the session: later turns fail with it. */
  #lost: OpenResponsesError | null = null;

  constructor(options: ResponsesSocketOptions) {
    this.url = options.url;
    this.#safeUrl = stripCredentials(options.url);
    this.#options = options;
    const recovery = options.recovery;
    this.#history = recovery ? new TurnHistory() : null;
    this.#maxReconnects = typeof recovery === "object" ? (recovery.maxReconnects ?? 3) : 3;
  }

  /** Opens the connection now (it otherwise opens with the first turn); rejects when it cannot. */
  async ready(): Promise<void> {
    if (this.#closed)
      throw new APIConnectionError("This WebSocket session is closed.", { url: this.#safeUrl });
    if (this.#lost) throw this.#lost;
    await this.#connect();
  }

  /** Turns not yet finished, the one in flight included. */
  get pending(): number {
    return this.#queue.length + (this.#active ? 1 : 0);
  }

  /** How many connections this session has opened (more than one after a recovery). */
  get connections(): number {
    return this.#connectionCount;
  }

  /**
   * Sends `{ type: "response.create", ...body }` when the turns before it have finished (rule W3) and
   * returns the turn as a `ResponseStream`. `stream` is removed; `stream_options` and `background` throw.
   */
  create(body: WebSocketCreateBody): ResponseStream {
    const record = body as Record<string, unknown>;
    for (const field of ["stream_options", "background"] as const) {
      if (record[field] !== undefined && record[field] !== null) {
        throw new WebSocketRequestError(`\`${field}\` must not be sent on a WebSocket (rule W1).`, field);
      }
    }
    if (this.#closed)
      throw new APIConnectionError("This WebSocket session is closed.", { url: this.#safeUrl });
    const { stream: _stream, stream_options: _so, background: _bg, ...rest } = record;
    if ((rest.model === undefined || rest.model === null) && this.#options.model !== undefined) {
      rest.model = this.#options.model;
    }
    const turn: Turn = {
      body: rest as CreateResponseBody,
      channel: new MessageChannel(),
      events: 0,
      accumulator: null,
      resends: 0,
      aborted: false,
    };
    if (this.#lost) turn.channel.fail(this.#lost);
    else this.#queue.push(turn);
    const stream = ResponseStream.fromMessages(turn.channel, {
      strict: this.#options.strict,
      ...(this.#options.maxResponseBytes === undefined
        ? {}
        : { maxResponseBytes: this.#options.maxResponseBytes }),
      requestId: null,
      abort: () => this.#abortTurn(turn),
    });
    queueMicrotask(() => this.#pump());
    return stream;
  }

  /**
   * Closes the connection. Turns not yet finished fail with `APIConnectionError`; the stream of a turn in
   * flight keeps what it received as its partial response.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const error = new APIConnectionError("The WebSocket session was closed.", { url: this.#safeUrl });
    this.#failAll(error);
    // A handshake still under way is aborted now; otherwise close() would wait out the open timeout.
    const opening = this.#openingSocket;
    if (opening) {
      try {
        opening.close();
      } catch {
        // Some implementations throw when closing a socket that is still connecting; it is dropped anyway.
      }
    }
    const connection = this.#connection ?? (await this.#opening?.catch(() => null)) ?? null;
    this.#connection = null;
    if (connection && !connection.finished) {
      connection.finished = true;
      await closeSocket(connection.socket);
    }
  }

  #abortTurn(turn: Turn): void {
    turn.aborted = true;
    turn.channel.discard();
    const index = this.#queue.indexOf(turn);
    // Not sent yet: just forget it. Sent: the server still runs it (there is no cancel message), so the
    // session keeps routing its events nowhere until its terminal event frees the connection.
    if (index >= 0) this.#queue.splice(index, 1);
  }

  #failAll(error: unknown): void {
    const active = this.#active;
    this.#setIdle(null);
    this.#active = null;
    active?.channel.fail(error);
    for (const turn of this.#queue.splice(0)) turn.channel.fail(error);
  }

  /** Sends the next queued turn when none is in flight. */
  #pump(): void {
    if (this.#closed || this.#active || this.#queue.length === 0) return;
    const turn = this.#queue.shift()!;
    this.#active = turn;
    this.#connect().then(
      (connection) => {
        if (this.#active !== turn) return;
        this.#send(turn, connection);
      },
      (error: unknown) => {
        if (this.#active !== turn) return;
        // No connection means no turn can run; fail them all rather than retry forever.
        this.#failAll(error);
      },
    );
  }

  #send(turn: Turn, connection: Connection): void {
    const body = this.#rewriteForConnection(turn.body, connection);
    turn.body = body;
    try {
      connection.socket.send(JSON.stringify({ type: "response.create", ...body }));
      this.#setIdle(connection);
      this.#armTurnTimer(turn, connection);
    } catch (cause) {
      this.#onConnectionLost(
        connection,
        new APIConnectionError("Could not send on the WebSocket.", { cause }),
      );
    }
  }

  /**
   * Rule W9: a continuation of a response the current connection cannot see (produced on an earlier
   * connection with `store: false`) is sent as a new response carrying the chain's full context.
   */
  #rewriteForConnection(body: CreateResponseBody, connection: Connection): CreateResponseBody {
    const history = this.#history;
    const previous = body.previous_response_id;
    if (!history || !previous || !history.has(previous)) return body;
    if (history.isStored(previous) || history.connectionOf(previous) === connection.id) return body;
    return this.#withFullContext(body) ?? body;
  }

  #withFullContext(body: CreateResponseBody): CreateResponseBody | null {
    const previous = body.previous_response_id;
    const context = previous ? this.#history?.contextOf(previous) : null;
    if (!context) return null;
    const input: ConversationItem[] = [...context, ...normalizeInput(body.input)];
    return { ...body, previous_response_id: null, input: input as CreateResponseBody["input"] };
  }

  #connect(): Promise<Connection> {
    if (this.#connection && !this.#connection.finished) return Promise.resolve(this.#connection);
    this.#opening ??= this.#open().finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  async #open(): Promise<Connection> {
    const factory = await resolveSocketFactory(this.#options.WebSocket);
    const rawHeaders = this.#options.headers;
    const headers = typeof rawHeaders === "function" ? await rawHeaders() : (rawHeaders ?? {});
    if (!factory.canSendHeaders && Object.keys(headers).length > 0) {
      throw new WebSocketRequestError(
        "Browsers cannot set headers on a WebSocket, so the API key cannot be sent. Connect through a " +
          "backend that adds it, or use `protocols` or a URL token if your server accepts one.",
        "headers",
      );
    }
    if (this.#closed)
      throw new APIConnectionError("The WebSocket session was closed.", { url: this.#safeUrl });
    const socket = factory.open(this.url, headers, this.#options.protocols);
    const connection: Connection = { id: ++this.#connectionCount, socket, finished: false };
    this.#openingSocket = socket;
    try {
      await waitForOpen(socket, this.#safeUrl, this.#options.openTimeout ?? DEFAULT_OPEN_TIMEOUT_MS);
    } finally {
      this.#openingSocket = null;
    }
    if (this.#closed) {
      connection.finished = true;
      await closeSocket(socket);
      throw new APIConnectionError("The WebSocket session was closed.", { url: this.#safeUrl });
    }
    socket.addEventListener("message", (event: { data: unknown }) => this.#onMessage(connection, event.data));
    socket.addEventListener("close", (event: { code?: number; reason?: string }) => {
      const detail = event.code ? ` (code ${event.code}${event.reason ? `, ${event.reason}` : ""})` : "";
      this.#onConnectionLost(
        connection,
        new APIConnectionError(`The WebSocket connection closed before the turn finished${detail}.`, {
          url: this.#safeUrl,
        }),
      );
    });
    this.#connection = connection;
    // Idle until a turn is sent on it: a session opened and forgotten must not hold the process.
    holdProcess(socket, false);
    return connection;
  }

  #onMessage(connection: Connection, data: unknown): void {
    if (connection !== this.#connection) return;
    const text = messageText(data);
    const turn = this.#active;
    if (text === null) return;
    const message = classifyMessage(text);
    if (message.kind === "envelope") {
      const error = envelopeToError(message.envelope);
      if (error instanceof WebSocketConnectionLimitError) {
        this.#onConnectionLost(connection, error);
        return;
      }
      if (!turn) return;
      this.#setIdle(null);
      this.#active = null;
      if (error instanceof PreviousResponseNotFoundError && this.#retryWithFullContext(turn)) {
        this.#pump();
        return;
      }
      turn.channel.fail(error);
      this.#pump();
      return;
    }
    if (!turn) return;
    turn.events += 1;
    turn.channel.push({ data: text });
    if (this.#history && message.kind === "event") accumulate(turn, text);
    if (message.kind === "event" && message.terminal) {
      this.#setIdle(null);
      this.#active = null;
      this.#reconnectsInARow = 0;
      const response =
        turn.accumulator?.finalResponse ?? (message.value.response as ResponseResource | undefined);
      if (
        this.#history &&
        response &&
        message.type !== "response.failed" &&
        typeof response.id === "string"
      ) {
        this.#history.record(turn.body, response, connection.id);
      }
      turn.channel.end();
      this.#pump();
      return;
    }
    this.#setIdle(connection);
  }

  /**
   * (Re)arms the idle timer of the turn in flight on `connection`, or clears it (null). When it fires,
   * the turn failed for lack of an answer and the connection is given up (see `timeout`).
   */
  #setIdle(connection: Connection | null): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    // A turn in flight keeps the process alive (the caller awaits it); an idle session does not.
    holdProcess((connection ?? this.#connection)?.socket, connection !== null);
    // Null means the turn in flight is over (every path that ends one comes here): so is its time limit.
    if (connection === null) {
      clearTimeout(this.#turnTimer);
      this.#turnTimer = undefined;
    }
    const timeoutMs = this.#options.timeout ?? DEFAULT_TURN_TIMEOUT_MS;
    if (!connection || !Number.isFinite(timeoutMs) || timeoutMs <= 0) return;
    const turn = this.#active;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#active !== turn || this.#connection !== connection) return;
      this.#onConnectionLost(
        connection,
        new APIConnectionTimeoutError(
          `No message on the WebSocket for ${timeoutMs} ms while a turn was in flight.`,
          { url: this.#safeUrl },
        ),
      );
    }, timeoutMs);
  }

  /** Arms the `totalTimeout` of a turn just sent on `connection`. */
  #armTurnTimer(turn: Turn, connection: Connection): void {
    clearTimeout(this.#turnTimer);
    this.#turnTimer = undefined;
    const limit = this.#options.totalTimeout;
    if (limit === undefined || !Number.isFinite(limit) || limit <= 0) return;
    this.#turnTimer = setTimeout(() => {
      this.#turnTimer = undefined;
      if (this.#active !== turn || this.#connection !== connection) return;
      this.#onConnectionLost(
        connection,
        new APIConnectionTimeoutError(`The turn took longer than the total timeout of ${limit} ms.`, {
          url: this.#safeUrl,
        }),
      );
    }, limit);
  }

  /** Rule W9 on a `previous_response_not_found` the session can repair: resend with the full context. */
  #retryWithFullContext(turn: Turn): boolean {
    if (turn.events > 0 || turn.resends > 0 || turn.aborted) return false;
    const body = this.#withFullContext(turn.body);
    if (!body) return false;
    turn.body = body;
    turn.resends += 1;
    this.#queue.unshift(turn);
    return true;
  }

  /**
   * The connection can take no more turns. With recovery, turns the server never started go to a new
   * connection; a turn that was streaming fails with what it received (re-running it could double work).
   */
  #onConnectionLost(connection: Connection, error: OpenResponsesError): void {
    if (connection.finished) return;
    connection.finished = true;
    if (this.#connection === connection) this.#connection = null;
    void closeSocket(connection.socket);
    if (this.#closed) return;
    const turn = this.#active;
    this.#setIdle(null);
    this.#active = null;
    const recoverable =
      this.#history !== null && this.#reconnectsInARow < this.#maxReconnects && isRecoverable(error);
    // Never re-run a turn the reader abandoned, or one that timed out (its server may still be running
    // it): only a turn that is still wanted and that the server never answered goes to a new connection.
    const timedOut = error instanceof APIConnectionTimeoutError;
    if (turn && (turn.events > 0 || turn.aborted || timedOut || !recoverable))
      turn.channel.fail(turnFailure(turn, error));
    else if (turn) this.#queue.unshift(turn);
    if (!recoverable) {
      for (const queued of this.#queue.splice(0)) queued.channel.fail(error);
      // Without recovery the session ends here; with it, a later turn starts a fresh series of attempts.
      if (this.#history === null) this.#lost = error;
      this.#reconnectsInARow = 0;
      return;
    }
    if (this.#queue.length > 0) {
      this.#reconnectsInARow += 1;
      this.#pump();
    }
  }
}

/**
 * A turn cut off after it started streaming fails as an interrupted stream, so the `ResponseStream`
 * attaches the partial response; one that never started fails with the connection error itself.
 */
function turnFailure(turn: Turn, error: OpenResponsesError): OpenResponsesError {
  if (turn.events === 0) return error;
  const details =
    error instanceof APIError ? { message: error.message, code: error.code, type: error.type } : undefined;
  return new ResponseStreamError(error.message, {
    kind: "interrupted",
    partialResponse: null,
    error: details,
    cause: error,
  });
}

/** Feeds one event to the turn's accumulator; the reader's own stream reports anything malformed. */
function accumulate(turn: Turn, text: string): void {
  try {
    const parsed = parseMessage({ data: text });
    if (parsed.kind !== "event") return;
    turn.accumulator ??= new ResponseAccumulator();
    turn.accumulator.apply(parsed.event);
  } catch {
    // Not an event this session can use for its history; the turn's stream fails on it by itself.
  }
}

function isRecoverable(error: OpenResponsesError): boolean {
  return error instanceof APIConnectionError || error instanceof WebSocketConnectionLimitError;
}

/** Resolves when the socket opens; rejects with a typed error when it fails or times out first. */
function waitForOpen(socket: WebSocketLike, url: string, timeoutMs: number): Promise<void> {
  if (socket.readyState === SOCKET_OPEN_STATE) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error?: OpenResponsesError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        try {
          socket.close();
        } catch {
          // Closing a socket that never opened may throw in some implementations; it is gone either way.
        }
        reject(error);
      } else resolve();
    };
    const timer = setTimeout(
      () => settle(new APIConnectionError(`Timed out opening the WebSocket after ${timeoutMs} ms.`, { url })),
      timeoutMs,
    );
    socket.addEventListener("open", () => settle());
    socket.addEventListener("error", (event: { message?: string; error?: unknown }) =>
      settle(openFailure(event, url)),
    );
    socket.addEventListener("close", (event: { code?: number }) =>
      settle(
        new APIConnectionError(`The WebSocket closed while opening (code ${event.code ?? "?"}).`, { url }),
      ),
    );
  });
}

/** The `ws` package reports a refused upgrade as "Unexpected server response: 401"; keep that status. */
function openFailure(event: { message?: string; error?: unknown }, url: string): OpenResponsesError {
  const text = event.message ?? (event.error instanceof Error ? event.error.message : "");
  const status = /Unexpected server response: (\d{3})/.exec(text)?.[1];
  if (status === "401" || status === "403") {
    return new AuthenticationError(`The server refused the WebSocket upgrade with ${status}.`, {
      status: Number(status),
      error: { message: "unauthorized", code: "unauthorized", type: "invalid_request" },
    });
  }
  if (status) {
    return new WebSocketError(`The server refused the WebSocket upgrade with ${status}.`, {
      status: Number(status),
      error: { message: text, code: null },
    });
  }
  return new APIConnectionError(`Could not open the WebSocket${text ? `: ${text}` : ""}.`, {
    url,
    cause: event.error,
  });
}

/** Closes politely and resolves when closed, or soon after if the peer never answers. */
function closeSocket(socket: WebSocketLike): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === 3) return resolve();
    const timer = setTimeout(resolve, 1000);
    socket.addEventListener("close", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      socket.close(1000, "session closed");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
