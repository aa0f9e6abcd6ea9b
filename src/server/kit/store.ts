/**
 * The default `ResponseStore`: an in-memory LRU bounded by entry count, so a long-running server cannot
 * grow without limit. Users with their own database implement `ResponseStore` from `../model.js` instead.
 */

import type { ResponseStore, StoredResponse } from "../model.js";

export interface MemoryStoreOptions {
  /** How many responses to keep; the least recently used one is evicted first. Default 1000. */
  maxEntries?: number;
}

export class MemoryResponseStore implements ResponseStore {
  readonly maxEntries: number;
  // A Map iterates in insertion order; re-inserting on access makes the first key the least recently used.
  readonly #entries = new Map<string, StoredResponse>();

  constructor(options: MemoryStoreOptions = {}) {
    const max = options.maxEntries ?? 1000;
    if (!Number.isInteger(max) || max < 1) throw new RangeError("maxEntries must be a positive integer");
    this.maxEntries = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): StoredResponse | undefined {
    const value = this.#entries.get(id);
    if (value === undefined) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, value);
    return value;
  }

  set(id: string, value: StoredResponse): void {
    this.#entries.delete(id);
    this.#entries.set(id, value);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }
}

export function createMemoryStore(options?: MemoryStoreOptions): MemoryResponseStore {
  return new MemoryResponseStore(options);
}
