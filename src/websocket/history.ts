/**
 * What a session remembers when recovery is on: for each response it produced, the request's new items,
 * the output, the response it continued from, and whether the server stored it. That is enough to rebuild
 * a chain's full context on a new connection when the old connection's memory is gone (rules W4, W9).
 */

import { type ConversationItem, normalizeInput, toInputItems } from "../conversation/items.js";
import type { CreateResponseBody, ResponseResource } from "../spec/index.js";

interface TurnRecord {
  previousId: string | null;
  input: ConversationItem[];
  output: ConversationItem[];
  stored: boolean;
  connection: number;
}

/** Bounded so that a session running for days does not keep every turn forever. */
const MAX_RECORDS = 256;

export class TurnHistory {
  readonly #records = new Map<string, TurnRecord>();

  record(body: CreateResponseBody, response: ResponseResource, connection: number): void {
    this.#records.set(response.id, {
      previousId: body.previous_response_id ?? null,
      input: normalizeInput(body.input),
      output: toInputItems(response.output),
      // The server's word wins: a response it could not store comes back with `store: false`.
      stored: body.store !== false && response.store !== false,
      connection,
    });
    while (this.#records.size > MAX_RECORDS) {
      const oldest = this.#records.keys().next().value;
      if (oldest === undefined) break;
      this.#records.delete(oldest);
    }
  }

  has(id: string): boolean {
    return this.#records.has(id);
  }

  /** Whether the server can still resolve `id` from another connection: it was stored (store !== false). */
  isStored(id: string): boolean {
    return this.#records.get(id)?.stored ?? false;
  }

  /** The connection a response was produced on. */
  connectionOf(id: string): number | undefined {
    return this.#records.get(id)?.connection;
  }

  /**
   * The full context of a chain ending at `id` (`input + output` of every turn, oldest first), or null
   * when the chain starts at a response this session did not see, so the context cannot be complete.
   */
  contextOf(id: string): ConversationItem[] | null {
    const chain: TurnRecord[] = [];
    let cursor: string | null = id;
    for (let guard = 0; cursor !== null; guard++) {
      const record = this.#records.get(cursor);
      if (!record || guard > MAX_RECORDS) return null;
      chain.push(record);
      cursor = record.previousId;
    }
    return chain.reverse().flatMap((record) => [...record.input, ...record.output]);
  }
}
