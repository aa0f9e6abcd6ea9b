/**
 * The working part of a `ResponsesSocket`, imported with its first turn or `ready()`: opening (and, with
 * recovery, reopening) the connection, sending the turns one at a time (rule W3), routing each message
 * to the turn in flight, the idle and total timers, and the history that rebuilds a chain's context on a
 * new connection (W9). It shares its state with the shell (`session.ts`) through `SessionState`.
 */

import { type ConversationItem, normalizeInput } from "../conversation/items.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  type OpenResponsesError,
  PreviousResponseNotFoundError,
  ResponseStreamError,
  WebSocketConnectionLimitError,
  WebSocketError,
} from "../errors.js";
import type { CreateResponseBody, ResponseResource } from "../spec/index.js";
import { ResponseAccumulator } from "../streaming/accumulator.js";
import { parseMessage } from "../streaming/event-parser.js";
import type { SSEMessage } from "../streaming/sse-decoder.js";
import { MessageChannel } from "./channel.js";
import { classifyMessage, envelopeToError } from "./envelope.js";
import { TurnHistory } from "./history.js";
import { holdProcess } from "./hold.js";
import { messageText, resolveSocketFactory, SOCKET_OPEN_STATE, type WebSocketLike } from "./platform.js";
import {
  type ResponsesSocketOptions,
  type SessionState,
  type Turn,
  WebSocketRequestError,
} from "./session-state.js";

interface Connection {
  id: number;
  socket: WebSocketLike;
  /** Set once the connection can take no more turns (closed, or the age limit was announced). */
  finished: boolean;
}

const DEFAULT_OPEN_TIMEOUT_MS = 30_000;
/** RFC 6455 close code 1009: a message too big to process (what `ws` reports past `maxPayload`). */
const MESSAGE_TOO_BIG = 1009;
const DEFAULT_TURN_TIMEOUT_MS = 10 * 60 * 1000;

export class SessionEngine {
  readonly #s: SessionState;
  readonly #history: TurnHistory | null;
  readonly #maxReconnects: number;
  #connection: Connection | null = null;
  #opening: Promise<Connection> | null = null;
  /** The socket being opened, so close() can abort the handshake instead of waiting for it. */
  #openingSocket: WebSocketLike | null = null;
  /** The idle timer of the turn in flight (one turn at a time, so one timer). */
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The `totalTimeout` timer of the turn in flight. */
  #turnTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectsInARow = 0;

  constructor(state: SessionState) {
    this.#s = state;
    const recovery = state.options.recovery;
    this.#history = recovery ? new TurnHistory() : null;
    this.#maxReconnects = typeof recovery === "object" ? (recovery.maxReconnects ?? 3) : 3;
  }

  /** `ready()`: the connection, opened now if there is none; a closed or lost session rejects. */
  async ready(): Promise<void> {
    if (this.#s.closed)
      throw new APIConnectionError("This WebSocket session is closed.", { url: this.#s.safeUrl });
    if (this.#s.lost) throw this.#s.lost;
    await this.#connect();
  }

  /** What a turn's stream reads (`turnMessages` in `session.ts`). */
  messagesOf(turn: Turn): AsyncIterable<SSEMessage> {
    return channelOf(turn);
  }

  /** `close()`, once the shell marked the session closed: fail what is left, close the socket. */
  async close(error: OpenResponsesError): Promise<void> {
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

  /** What a turn fails with when the socket refused a message past `maxEventBytes`. */
  #tooBig(): ResponseStreamError {
    return new ResponseStreamError(
      `The server sent a WebSocket message larger than ${this.#s.maxEventBytes} bytes (the client's maxEventBytes); the connection was closed.`,
      { kind: "malformed", partialResponse: null },
    );
  }

  #failAll(error: unknown): void {
    const active = this.#s.active;
    this.#setIdle(null);
    this.#s.active = null;
    if (active) channelOf(active).fail(error);
    for (const turn of this.#s.queue.splice(0)) channelOf(turn).fail(error);
  }

  /** Sends the next queued turn when none is in flight. */
  pump(): void {
    if (this.#s.closed || this.#s.active || this.#s.queue.length === 0) return;
    const turn = this.#s.queue.shift()!;
    this.#s.active = turn;
    this.#connect().then(
      (connection) => {
        if (this.#s.active !== turn) return;
        this.#send(turn, connection);
      },
      (error: unknown) => {
        if (this.#s.active !== turn) return;
        // No connection means no turn can run; fail them all rather than retry forever.
        this.#failAll(error);
      },
    );
  }

  #send(turn: Turn, connection: Connection): void {
    const body = this.#rewriteForConnection(wireBody(turn.body, this.#s.options), connection);
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
    const factory = await resolveSocketFactory(this.#s.options.WebSocket);
    const rawHeaders = this.#s.options.headers;
    const headers = typeof rawHeaders === "function" ? await rawHeaders() : (rawHeaders ?? {});
    if (!factory.canSendHeaders && Object.keys(headers).length > 0) {
      throw new WebSocketRequestError(
        "Browsers cannot set headers on a WebSocket, so the API key cannot be sent. Connect through a " +
          "backend that adds it, or use `protocols` or a URL token if your server accepts one.",
        "headers",
      );
    }
    if (this.#s.closed)
      throw new APIConnectionError("The WebSocket session was closed.", { url: this.#s.safeUrl });
    const socket = factory.open(this.#s.options.url, headers, this.#s.options.protocols, {
      maxPayload: this.#s.maxEventBytes,
    });
    const connection: Connection = { id: ++this.#s.connectionCount, socket, finished: false };
    this.#openingSocket = socket;
    try {
      await waitForOpen(socket, this.#s.safeUrl, this.#s.options.openTimeout ?? DEFAULT_OPEN_TIMEOUT_MS);
    } finally {
      this.#openingSocket = null;
    }
    if (this.#s.closed) {
      connection.finished = true;
      await closeSocket(socket);
      throw new APIConnectionError("The WebSocket session was closed.", { url: this.#s.safeUrl });
    }
    socket.addEventListener("message", (event: { data: unknown }) => this.#onMessage(connection, event.data));
    socket.addEventListener("error", (event: { message?: string; error?: unknown }) => {
      const text = event.message ?? (event.error instanceof Error ? event.error.message : "");
      if (/max payload/i.test(text)) this.#onConnectionLost(connection, this.#tooBig());
    });
    socket.addEventListener("close", (event: { code?: number; reason?: string }) => {
      const detail = event.code ? ` (code ${event.code}${event.reason ? `, ${event.reason}` : ""})` : "";
      if (event.code === MESSAGE_TOO_BIG) {
        // The socket refused a message past maxPayload: a size bound, not a drop worth a reconnection.
        this.#onConnectionLost(connection, this.#tooBig());
        return;
      }
      this.#onConnectionLost(
        connection,
        new APIConnectionError(`The WebSocket connection closed before the turn finished${detail}.`, {
          url: this.#s.safeUrl,
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
    const turn = this.#s.active;
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
      this.#s.active = null;
      if (error instanceof PreviousResponseNotFoundError && this.#retryWithFullContext(turn)) {
        this.pump();
        return;
      }
      channelOf(turn).fail(error);
      this.pump();
      return;
    }
    if (!turn) return;
    turn.events = (turn.events ?? 0) + 1;
    channelOf(turn).push({ data: text });
    if (this.#history && message.kind === "event") accumulate(turn, text);
    if (message.kind === "event" && message.terminal) {
      this.#setIdle(null);
      this.#s.active = null;
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
      channelOf(turn).end();
      this.pump();
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
    const timeoutMs = this.#s.options.timeout ?? DEFAULT_TURN_TIMEOUT_MS;
    if (!connection || !Number.isFinite(timeoutMs) || timeoutMs <= 0) return;
    const turn = this.#s.active;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#s.active !== turn || this.#connection !== connection) return;
      this.#onConnectionLost(
        connection,
        new APIConnectionTimeoutError(
          `No message on the WebSocket for ${timeoutMs} ms while a turn was in flight.`,
          { url: this.#s.safeUrl },
        ),
      );
    }, timeoutMs);
  }

  /** Arms the `totalTimeout` of a turn just sent on `connection`. */
  #armTurnTimer(turn: Turn, connection: Connection): void {
    clearTimeout(this.#turnTimer);
    this.#turnTimer = undefined;
    const limit = this.#s.options.totalTimeout;
    if (limit === undefined || !Number.isFinite(limit) || limit <= 0) return;
    this.#turnTimer = setTimeout(() => {
      this.#turnTimer = undefined;
      if (this.#s.active !== turn || this.#connection !== connection) return;
      this.#onConnectionLost(
        connection,
        new APIConnectionTimeoutError(`The turn took longer than the total timeout of ${limit} ms.`, {
          url: this.#s.safeUrl,
        }),
      );
    }, limit);
  }

  /** Rule W9 on a `previous_response_not_found` the session can repair: resend with the full context. */
  #retryWithFullContext(turn: Turn): boolean {
    if (turn.events || turn.resends || turn.aborted) return false;
    const body = this.#withFullContext(turn.body);
    if (!body) return false;
    turn.body = body;
    turn.resends = (turn.resends ?? 0) + 1;
    this.#s.queue.unshift(turn);
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
    if (this.#s.closed) return;
    const turn = this.#s.active;
    this.#setIdle(null);
    this.#s.active = null;
    const recoverable =
      this.#history !== null && this.#reconnectsInARow < this.#maxReconnects && isRecoverable(error);
    // Never re-run a turn the reader abandoned, or one that timed out (its server may still be running
    // it): only a turn that is still wanted and that the server never answered goes to a new connection.
    const timedOut = error instanceof APIConnectionTimeoutError;
    if (turn && (turn.events || turn.aborted || timedOut || !recoverable))
      channelOf(turn).fail(turnFailure(turn, error));
    else if (turn) this.#s.queue.unshift(turn);
    if (!recoverable) {
      for (const queued of this.#s.queue.splice(0)) channelOf(queued).fail(error);
      // Without recovery the session ends here; with it, a later turn starts a fresh series of attempts.
      if (this.#history === null) this.#s.lost = error;
      this.#reconnectsInARow = 0;
      return;
    }
    if (this.#s.queue.length > 0) {
      this.#reconnectsInARow += 1;
      this.pump();
    }
  }
}

/**
 * A turn's body as the message carries it: without the HTTP-only fields (`stream` is accepted and
 * dropped; `create()` refused the others when set) and with the session's `model` when it has none.
 */
function wireBody(body: CreateResponseBody, options: ResponsesSocketOptions): CreateResponseBody {
  const { stream: _stream, stream_options: _so, background: _bg, ...rest } = body as Record<string, unknown>;
  if ((rest.model === undefined || rest.model === null) && options.model !== undefined)
    rest.model = options.model;
  return rest as CreateResponseBody;
}

/**
 * The queue of a turn's messages, made with its first use: the shell makes none, so that a client that
 * never opens a session does not load this class. A turn that failed before (`failure`) or whose reader
 * went away (`aborted`) gets a queue in that state.
 */
function channelOf(turn: Turn): MessageChannel<SSEMessage> {
  if (!turn.channel) {
    const channel = new MessageChannel<SSEMessage>();
    if (turn.failure) channel.fail(turn.failure);
    if (turn.aborted) channel.discard();
    turn.channel = channel;
  }
  return turn.channel;
}

/**
 * A turn cut off after it started streaming fails as an interrupted stream, so the `ResponseStream`
 * attaches the partial response; one that never started fails with the connection error itself.
 */
function turnFailure(turn: Turn, error: OpenResponsesError): OpenResponsesError {
  // A stream error (a message past the size bound) is already what the turn's stream reports.
  if (!turn.events || error instanceof ResponseStreamError) return error;
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
