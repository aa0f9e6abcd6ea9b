/**
 * The default `ResponseStore`: an in-memory LRU bounded by entry count and by approximate size, so a
 * long-running server cannot grow without limit (a thousand 10 MiB requests would otherwise be kept).
 * Users with their own database implement `ResponseStore` from `../model.js` instead.
 *
 * A response whose JSON text the engine already made (a JSON answer's, `keepWithText`) is kept as that
 * text's UTF-8 bytes and parsed when first read. A busy server's store holds its last thousand
 * responses, most never read again: as bytes each is a small handle on memory outside the JavaScript
 * heap, where objects (or a string) would be copied out of the young generation and later swept from
 * the old one, turn after turn.
 */

import type { ItemField, ItemParam, ResponseResource } from "../../spec/index.js";
import type { ResponseStore, StoredResponse } from "../model.js";
import { itemSize, itemsSize } from "./item-size.js";

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

/** One kept response. */
interface Entry {
  /** The response and its context; null while the response is kept as its JSON text. */
  value: StoredResponse | null;
  /** The response's JSON text, UTF-8 encoded, while `value` is null. */
  json: Uint8Array | null;
  input: StoredResponse["input"];
  bytes: number;
  /** The item ids this entry indexed in `#items` (the first holder of each), dropped with it. */
  ids: string[] | null;
}

const decoder = new TextDecoder();

/** A response's JSON text and its UTF-8 bytes (`JsonText` of model-loop.ts). */
interface Text {
  readonly text: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** Set by the store's static block: the one way to reach its private `#keep`. */
let keepText: (store: MemoryResponseStore, id: string, value: StoredResponse, json: Text) => boolean;

export class MemoryResponseStore implements ResponseStore {
  readonly maxEntries: number;
  readonly maxBytes: number;
  // A Map iterates in insertion order; re-inserting on access makes the first key the least recently used.
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  /**
   * Item id → the id of the first kept response that holds it (`findItem`). The first holder wins, so
   * a chain's later turns, which repeat the earlier items in their input, do not each re-index them.
   */
  readonly #items = new Map<string, string>();

  static {
    keepText = (store, id, value, json) => store.#keep(id, value, json);
  }

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
    return storedOf(entry);
  }

  /** False when the entry is larger than `maxBytes` and so not kept. */
  set(id: string, value: StoredResponse): boolean {
    return this.#keep(id, value, undefined);
  }

  /** `set`, keeping the response as `json` (its JSON text's bytes, when given) until it is read. */
  #keep(id: string, value: StoredResponse, json: Text | undefined): boolean {
    this.delete(id);
    const bytes = approximateBytes(value, json?.text);
    if (bytes > this.maxBytes) return false;
    const entry: Entry =
      json === undefined
        ? { value, json: null, input: value.input, bytes, ids: null }
        : { value: null, json: json.bytes, input: value.input, bytes, ids: null };
    this.#entries.set(id, entry);
    this.#bytes += bytes;
    const items = this.#items;
    forEachItemId(value, (itemId) => {
      if (items.has(itemId)) return;
      items.set(itemId, id);
      if (entry.ids === null) entry.ids = [itemId];
      else entry.ids.push(itemId);
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
    if (entry.ids === null) return;
    const items = this.#items;
    for (const itemId of entry.ids) items.delete(itemId);
  }

  findItem(itemId: string): ItemParam | ItemField | undefined {
    const holder = this.#items.get(itemId);
    const entry = holder === undefined ? undefined : this.#entries.get(holder);
    if (entry === undefined) return undefined;
    const { response, input } = storedOf(entry);
    return response.output.find((item) => item.id === itemId) ?? input.find((item) => item.id === itemId);
  }
}

/**
 * Keeps a finished response in `store` as `json`, its JSON text and that text's UTF-8 bytes, which the
 * caller made from it just now and which nothing changes later (the bytes may also be written to a
 * client, never altered); parsed when first read. Undefined when `store` is not exactly the default
 * store (a subclass may have its own `set`): the caller then calls `set` as for any store.
 */
export function keepWithText(
  store: ResponseStore,
  id: string,
  value: StoredResponse,
  json: Text,
): boolean | undefined {
  if (!(store instanceof MemoryResponseStore) || store.set !== MemoryResponseStore.prototype.set) {
    return undefined;
  }
  return keepText(store, id, value, json);
}

/** The entry's response and context, the response parsed from its text on the first read. */
function storedOf(entry: Entry): StoredResponse {
  if (entry.value === null) {
    const response = JSON.parse(decoder.decode(entry.json ?? undefined)) as ResponseResource;
    entry.value = { response, input: entry.input };
    entry.json = null;
  }
  return entry.value;
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
function approximateBytes(value: StoredResponse, text: string | undefined): number {
  const list = (items: unknown) => (Array.isArray(items) ? itemsSize(items) : itemSize(items));
  if (text !== undefined) return text.length + list(value.input);
  const { output, ...rest } = value.response;
  return itemSize(rest) + list(output) + list(value.input);
}

export function createMemoryStore(options?: MemoryStoreOptions): MemoryResponseStore {
  return new MemoryResponseStore(options);
}
