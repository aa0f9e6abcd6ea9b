/**
 * What the `ResponsesSocket` shell and its lazily loaded engine (`session-engine.ts`) share: the options,
 * the turns waiting or in flight, and whether the session is closed or lost. The shell does what must
 * happen synchronously (validating a turn, queueing it, handing back its stream, aborting it); the engine,
 * imported with the first turn or `ready()`, owns the connections, timers and recovery.
 */

import type { ResponseCreateParams } from "../core/request-types.js";
import { OpenResponsesError } from "../errors.js";
import type { CreateResponseBody } from "../spec/index.js";
import type { ResponseAccumulator } from "../streaming/accumulator.js";
import { DEFAULT_MAX_EVENT_SIZE, type SSEMessage } from "../streaming/sse-decoder.js";
import type { MessageChannel } from "./channel.js";
import type { WebSocketConstructor } from "./platform.js";

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
   * The largest single message, in bytes. With `ws` (Node) the socket refuses a larger one before
   * buffering it, and compression is off; a platform WebSocket (browsers, Deno, Bun) cannot be told, so
   * there the message is checked once it arrived. Either way the turn fails with a `ResponseStreamError`
   * (kind `"malformed"`). Default 64 MiB, the client's `maxEventBytes` through `connect()`; never more
   * than `maxResponseBytes`.
   */
  maxEventBytes?: number;
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
  declare readonly param: string;
  constructor(message: string, param: string) {
    super(message);
    this.param = param;
  }
}

/**
 * A turn, as the shell makes it: its body as given and what it failed with already; the engine fills in
 * the rest as it goes (an absent count is 0), so that the shell every client carries stays small.
 */
export interface Turn {
  /** As given to `create()` (a copy); once sent, the message's body (`wireBody` in the engine). */
  body: CreateResponseBody;
  /** The queue of the turn's messages; the engine makes it (`channelOf` in `session-engine.ts`). */
  channel?: MessageChannel<SSEMessage>;
  /** What the turn failed with before its queue existed (the session was lost or closed). */
  failure?: OpenResponsesError | null;
  /** Events received for this turn; none means the server has not started it. */
  events?: number;
  /**
   * With recovery only: the turn's response rebuilt from its events, for the history. The terminal
   * snapshot alone may lack what was streamed (some servers send `output: []` there).
   */
  accumulator?: ResponseAccumulator;
  /** How often this turn was re-sent after a recoverable failure. */
  resends?: number;
  aborted?: boolean;
}

/** The session's state, read and written by the shell and the engine. */
export interface SessionState {
  /** The URL as errors show it: no query (where a token may travel) and no user info. */
  readonly safeUrl: string;
  readonly options: ResponsesSocketOptions;
  /** The largest message accepted (`maxEventBytes` below), worked out once by the shell. */
  readonly maxEventBytes: number;
  /** Turns not sent yet, in order. */
  readonly queue: Turn[];
  /** The turn in flight. */
  active?: Turn | null;
  closed?: boolean;
  /** Without recovery, the loss that ended the session: later turns fail with it. */
  lost?: OpenResponsesError | null;
  /** Connections opened so far. */
  connectionCount: number;
}

/**
 * The largest message accepted: `maxEventBytes`, never past `maxResponseBytes`. The shell works it out
 * once (`SessionState.maxEventBytes`) and the engine reads that: what the lazily loaded engine calls in
 * this file would be in every app's bundle.
 */
export function maxEventBytes(options: ResponsesSocketOptions): number {
  return Math.min(
    options.maxEventBytes ?? DEFAULT_MAX_EVENT_SIZE,
    options.maxResponseBytes ?? Number.POSITIVE_INFINITY,
  );
}
