/**
 * Parallel turns need several connections (rule W3: one response in flight per connection). A pool
 * opens up to `size` sessions on demand and gives each new turn to the least busy one.
 */

import { OpenResponsesError } from "../errors.js";
import type { ResponseStream } from "../streaming/index.js";
import type { ResponsesSocket, WebSocketCreateBody } from "./session.js";

/**
 * Up to `size` WebSocket sessions, opened on demand, each turn given to an idle one: parallel turns
 * over WebSocket mode, where one session runs one turn at a time.
 *
 * @example
 * ```ts
 * const pool = new ResponsesSocketPool(() => client.responses.connect(), 4);
 * const answers = await Promise.all(["a", "b"].map((input) => pool.create({ model: "m", input }).finalText()));
 * await pool.close();
 * ```
 */
export class ResponsesSocketPool {
  readonly size: number;
  readonly #open: () => ResponsesSocket;
  readonly #sessions: ResponsesSocket[] = [];

  /** `open` makes one session, e.g. `() => client.responses.connect()`. */
  constructor(open: () => ResponsesSocket, size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new OpenResponsesError("A pool needs a size of at least 1.");
    this.#open = open;
    this.size = size;
  }

  /** Sessions opened so far. */
  get sessions(): readonly ResponsesSocket[] {
    return this.#sessions;
  }

  /** Runs the turn on an idle session, opening one while under `size`, else on the least busy. */
  create(body: WebSocketCreateBody): ResponseStream {
    return this.#pick().create(body);
  }

  /** Closes every session of the pool (their unfinished turns fail, as with `ResponsesSocket.close()`). */
  async close(): Promise<void> {
    await Promise.all(this.#sessions.splice(0).map((session) => session.close()));
  }

  #pick(): ResponsesSocket {
    const idle = this.#sessions.find((session) => session.pending === 0);
    if (idle) return idle;
    if (this.#sessions.length < this.size) {
      const session = this.#open();
      this.#sessions.push(session);
      return session;
    }
    return this.#sessions.reduce((best, session) => (session.pending < best.pending ? session : best));
  }
}
