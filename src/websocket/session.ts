/**
 * `ResponsesSocket`: one WebSocket connection to `{base}/responses` (rule W1) carrying turns one at a
 * time (rule W3). Each turn is a `ResponseStream` built from the socket's messages, so it is read exactly
 * like an SSE stream. Messages are routed to the turn in flight as they arrive, whether or not anyone is
 * reading, so an unread turn never blocks the next one.
 *
 * This class is the part that must answer synchronously (`create()` hands back the turn's stream at
 * once); the connections, timers and recovery live in `session-engine.ts`, imported (through
 * `src/on-demand.ts`) with the first turn or `ready()`, so that a client that never opens a session
 * does not carry them. So does the queue of each turn's messages (`channel.ts`): the engine makes it
 * when it first routes to the turn or the turn's stream first reads, and a turn that fails before the
 * engine exists keeps its failure until then.
 */

import { stripCredentials } from "../core/base-url.js";
import { loadOnDemand } from "../core/load-on-demand.js";
import { APIConnectionError } from "../errors.js";
import type { CreateResponseBody } from "../spec/index.js";
import { ResponseStream } from "../streaming/response-stream.js";
import type { SSEMessage } from "../streaming/sse-decoder.js";
import type { SessionEngine } from "./session-engine.js";
import {
  maxEventBytes,
  type ResponsesSocketOptions,
  type SessionState,
  type Turn,
  type WebSocketCreateBody,
  WebSocketRequestError,
} from "./session-state.js";

export {
  type RecoveryOptions,
  type ResponsesSocketOptions,
  type WebSocketCreateBody,
  WebSocketRequestError,
} from "./session-state.js";

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
  readonly #state: SessionState;
  /** The engine once imported (close() needs it synchronously). */
  #engine: SessionEngine | undefined;
  #loading: Promise<SessionEngine> | undefined;

  constructor(options: ResponsesSocketOptions) {
    this.url = options.url;
    this.#state = {
      safeUrl: stripCredentials(options.url),
      maxEventBytes: maxEventBytes(options),
      options,
      queue: [],
      connectionCount: 0,
    };
  }

  /** Opens the connection now (it otherwise opens with the first turn); rejects when it cannot. */
  async ready(): Promise<void> {
    await (await this.#load()).ready();
  }

  /** Turns not yet finished, the one in flight included. */
  get pending(): number {
    return this.#state.queue.length + (this.#state.active ? 1 : 0);
  }

  /** How many connections this session has opened (more than one after a recovery). */
  get connections(): number {
    return this.#state.connectionCount;
  }

  /**
   * Sends `{ type: "response.create", ...body }` when the turns before it have finished (rule W3) and
   * returns the turn as a `ResponseStream`. `stream` is removed; `stream_options` and `background` throw.
   */
  create(body: WebSocketCreateBody): ResponseStream {
    const state = this.#state;
    const options = state.options;
    const record = body as Record<string, unknown>;
    for (const field of ["stream_options", "background"] as const) {
      if (record[field] != null) {
        throw new WebSocketRequestError(`\`${field}\` must not be sent on a WebSocket (rule W1).`, field);
      }
    }
    if (state.closed)
      throw new APIConnectionError("This WebSocket session is closed.", { url: state.safeUrl });
    // The body as given now; the engine makes it the message it sends (`wireBody` in `session-engine.ts`).
    const turn: Turn = { body: { ...record } as CreateResponseBody, failure: state.lost };
    if (!state.lost) state.queue.push(turn);
    const loading = this.#load();
    const stream = ResponseStream.fromMessages(turnMessages(turn, loading), {
      strict: options.strict,
      maxEventSize: state.maxEventBytes,
      // Unset, the stream's own default (the same 256 MiB).
      maxResponseBytes: options.maxResponseBytes,
      abort: () => abortTurn(state, turn),
    });
    loading.then(
      (engine) => engine.pump(),
      // Without its engine (a bundle that cannot load the chunk) no turn can run: each turn's stream
      // fails with the reason (`turnMessages`), and none is waiting any more.
      () => state.queue.splice(0),
    );
    return stream;
  }

  /**
   * Closes the connection. Turns not yet finished fail with `APIConnectionError`; the stream of a turn in
   * flight keeps what it received as its partial response.
   */
  async close(): Promise<void> {
    const state = this.#state;
    if (state.closed) return;
    state.closed = true;
    const error = new APIConnectionError("The WebSocket session was closed.", { url: state.safeUrl });
    // Without an engine yet nothing is in flight or connected: the waiting turns are all there is.
    if (this.#engine) await this.#engine.close(error);
    else for (const turn of state.queue.splice(0)) turn.failure = error;
  }

  #load(): Promise<SessionEngine> {
    this.#loading ??= loadOnDemand("connect()").then(
      ({ SessionEngine }) => (this.#engine = new SessionEngine(this.#state)),
      (error: unknown) => {
        // Not kept: the next turn or `ready()` loads again (the page may be back online).
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }
}

/**
 * A turn's messages: those of the queue the engine keeps for it, once the engine has loaded. Without the
 * engine, the turn fails with its own failure (the session was closed meanwhile) or the loader's.
 */
async function* turnMessages(turn: Turn, loading: Promise<SessionEngine>): AsyncGenerator<SSEMessage> {
  const engine = await loading.catch((error: unknown) => {
    throw turn.failure ?? error;
  });
  yield* engine.messagesOf(turn);
}

function abortTurn(state: SessionState, turn: Turn): void {
  turn.aborted = true;
  turn.channel?.discard();
  const index = state.queue.indexOf(turn);
  // Not sent yet: just forget it. Sent: the server still runs it (there is no cancel message), so the
  // session keeps routing its events nowhere until its terminal event frees the connection.
  if (index >= 0) state.queue.splice(index, 1);
}
