/**
 * The default `ResponseStore`: an in-memory LRU bounded by entry count and by approximate size, so a
 * long-running server cannot grow without limit (a thousand 10 MiB requests would otherwise be kept).
 * Users with their own database implement `ResponseStore` from `../model.js` instead.
 */

import type { ItemField, ItemParam } from "../../spec/index.js";
import type { ResponseStore, StoredResponse } from "../model.js";
import { itemSize, itemsSize, knownSize } from "./item-size.js";

export interface MemoryStoreOptions {
  /** How many responses to keep; the least recently used one is evicted first. Default 1000. */
  maxEntries?: number;
  /**
   * Approximate bytes to keep (the JSON size of each response plus its input context); the least
   * recently used entries are evicted past it, and a single entry larger than this is not kept.
   * Default 256 MiB.
   */
  maxBytes?: number;
}

export const DEFAULT_STORE_MAX_BYTES = 256 * 1024 * 1024;

export class MemoryResponseStore implements ResponseStore {
  readonly maxEntries: number;
  readonly maxBytes: number;
  // A Map iterates in insertion order; re-inserting on access makes the first key the least recently used.
  readonly #entries = new Map<string, { value: StoredResponse; bytes: number }>();
  #bytes = 0;
  /**
   * Item id → the id of the first kept response that holds it (`findItem`). The first holder wins, so
   * a chain's later turns, which repeat the earlier items in their input, do not each re-index them.
   */
  readonly #items = new Map<string, string>();

  constructor(options: MemoryStoreOptions = {}) {
    const max = options.maxEntries ?? 1000;
    if (!Number.isInteger(max) || max < 1) throw new RangeError("maxEntries must be a positive integer");
    const maxBytes = options.maxBytes ?? DEFAULT_STORE_MAX_BYTES;
    if (!(maxBytes > 0)) throw new RangeError("maxBytes must be a positive number");
    this.maxEntries = max;
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The approximate bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  get(id: string): StoredResponse | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.value;
  }

  /** False when the entry is larger than `maxBytes` and so not kept. */
  set(id: string, value: StoredResponse): boolean {
    this.delete(id);
    const bytes = approximateBytes(value);
    if (bytes > this.maxBytes) return false;
    this.#entries.set(id, { value, bytes });
    this.#bytes += bytes;
    const items = this.#items;
    forEachItemId(value, (itemId) => {
      if (!items.has(itemId)) items.set(itemId, id);
    });
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
    return true;
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
    const items = this.#items;
    forEachItemId(entry.value, (itemId) => {
      if (items.get(itemId) === id) items.delete(itemId);
    });
  }

  findItem(itemId: string): ItemParam | ItemField | undefined {
    const holder = this.#items.get(itemId);
    const entry = holder === undefined ? undefined : this.#entries.get(holder);
    if (entry === undefined) return undefined;
    const { response, input } = entry.value;
    return response.output.find((item) => item.id === itemId) ?? input.find((item) => item.id === itemId);
  }
}

/** Calls `visit` with the id of each item of the entry (its output, then its input). */
function forEachItemId(value: StoredResponse, visit: (id: string) => void): void {
  // A store keeps whatever it is given; only well-formed lists are indexed.
  idsOf(value.response?.output, visit);
  idsOf(value.input, visit);
}

function idsOf(list: unknown, visit: (id: string) => void): void {
  if (!Array.isArray(list)) return;
  for (const item of list as unknown[]) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id === "string") visit(id);
  }
}

/**
 * The JSON length of the entry, close enough to what it occupies. Items an entry shares with earlier
 * turns of its chain (or repeats, through `item_reference`) are counted again, which errs on the side of
 * evicting early; each item object is serialised only once (`itemSize` remembers it), so a context that
 * repeats one large item many times costs one serialisation, not one per repetition. Not serialisable
 * (a cycle from a custom model's item) counts as too large to keep.
 */
function approximateBytes(value: StoredResponse): number {
  const list = (items: unknown) => (Array.isArray(items) ? itemsSize(items) : itemSize(items));
  const response = value.response;
  // A collected response's JSON text was just made for its answer (model-loop.ts): its length is known.
  const whole = typeof response === "object" && response !== null ? knownSize(response) : undefined;
  if (whole !== undefined) return whole + list(value.input);
  const { output, ...rest } = response;
  return itemSize(rest) + list(output) + list(value.input);
}

export function createMemoryStore(options?: MemoryStoreOptions): MemoryResponseStore {
  return new MemoryResponseStore(options);
}
