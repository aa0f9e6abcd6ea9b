/**
 * The default `ResponseStore`: an in-memory LRU bounded by entry count and by approximate size, so a
 * long-running server cannot grow without limit (a thousand 10 MiB requests would otherwise be kept).
 * Users with their own database implement `ResponseStore` from `../model.js` instead.
 *
 * A response whose JSON text the engine already made (a JSON answer's, `keepWithText`) is kept as that
 * text's UTF-8 bytes and parsed when first read. A busy server's store holds its last thousand
 * responses, most never read again: as bytes each is a small handle on memory outside the JavaScript
 * heap, where objects (or a string) would be copied out of the young generation and later swept from
 * the old one, turn after turn. For the same reason an entry holds where its bytes are rather than a view
 * of them (they usually share a block with other answers' bytes, utf8-blocks.ts), and a context that is
 * only a string `input`'s user message as that string.
 */

import type { ItemField, ItemParam, ResponseResource } from "../../spec/index.js";
import type { ResponseStore, StoredResponse } from "../model.js";
import { stringInputMessage } from "./context-item.js";
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
  /**
   * The buffer holding the response's JSON text, UTF-8 encoded, while `value` is null, and where in it
   * the text is: numbers, not a view, so a kept entry makes no buffer object of its own (the bytes are
   * usually in a block shared with other answers, utf8-blocks.ts).
   */
  json: ArrayBuffer | null;
  start: number;
  end: number;
  /**
   * The context, or, while `value` is null, the text of the user message that is all of it (a string
   * `input`'s context, `{ type: "message", role: "user", content }`), made again on the first read.
   */
  input: StoredResponse["input"] | string;
  bytes: number;
  /**
   * The item ids this entry indexed in `#items` (the first holder of each), dropped with it: one as
   * itself, more in a list (a kept entry outlives young-generation collections: one object fewer).
   */
  ids: string | string[] | null;
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
  /** Where the last eviction stopped (`#oldestId`). */
  #oldest: MapIterator<string> | null = null;

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
    const message = json === undefined ? null : messageText(value.input);
    const bytes =
      json !== undefined && message !== null
        ? json.text.length + messageSize(value.input)
        : approximateBytes(value, json?.text);
    if (bytes > this.maxBytes) return false;
    let entry: Entry;
    if (json === undefined) {
      entry = { value, json: null, start: 0, end: 0, input: value.input, bytes, ids: null };
    } else {
      const view = json.bytes;
      const start = view.byteOffset;
      const end = start + view.byteLength;
      entry = { value: null, json: view.buffer, start, end, input: message ?? value.input, bytes, ids: null };
    }
    this.#entries.set(id, entry);
    this.#bytes += bytes;
    // Its output, then its input (a lone user message made from a string has no id).
    this.#index(id, entry, value.response?.output);
    if (message === null) this.#index(id, entry, value.input);
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) {
      const oldest = this.#oldestId();
      if (oldest === undefined) break;
      this.delete(oldest);
    }
    return true;
  }

  /**
   * The least recently used id. The iterator is kept from one eviction to the next: a Map iterator
   * goes on from where it was, over the entries added since, and every entry it has passed was
   * evicted (an entry read since was moved to the end). A new iterator would step again over the holes
   * they left at the front of the Map's table, up to a thousand of them each time.
   */
  #oldestId(): string | undefined {
    let step = this.#oldest?.next();
    if (step === undefined || step.done === true) {
      this.#oldest = this.#entries.keys();
      step = this.#oldest.next();
    }
    return step.value;
  }

  /** Indexes under `id` the ids of `list`'s items that no kept entry holds yet. */
  #index(id: string, entry: Entry, list: unknown): void {
    // A store keeps whatever it is given; only well-formed lists are indexed.
    if (!Array.isArray(list)) return;
    const items = this.#items;
    for (const item of list as unknown[]) {
      const itemId = (item as { id?: unknown } | null)?.id;
      if (typeof itemId !== "string" || items.has(itemId)) continue;
      items.set(itemId, id);
      const ids = entry.ids;
      if (ids === null) entry.ids = itemId;
      else if (typeof ids === "string") entry.ids = [ids, itemId];
      else ids.push(itemId);
    }
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#bytes -= entry.bytes;
    const ids = entry.ids;
    if (ids === null) return;
    const items = this.#items;
    if (typeof ids === "string") items.delete(ids);
    else for (const itemId of ids) items.delete(itemId);
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
    const text = new Uint8Array(entry.json ?? new ArrayBuffer(0), entry.start, entry.end - entry.start);
    const response = JSON.parse(decoder.decode(text)) as ResponseResource;
    const kept = entry.input;
    const input = typeof kept === "string" ? [stringInputMessage(kept)] : kept;
    entry.value = { response, input };
    entry.input = input;
    entry.json = null;
  }
  return entry.value;
}

/** The keys of a string `input`'s message, in the order `stringInputMessage` makes them. */
const MESSAGE_KEYS = Object.keys(stringInputMessage(""));

/**
 * The text of the context's one item when that item is exactly a string `input`'s message (its
 * keys, in their order, and nothing else), which the entry can then keep as the text alone and make
 * again, equal, when read; else null.
 */
function messageText(input: StoredResponse["input"]): string | null {
  if (!Array.isArray(input) || input.length !== 1) return null;
  const item = input[0] as { type?: unknown; role?: unknown; content?: unknown };
  if (item.type !== "message" || item.role !== "user" || typeof item.content !== "string") return null;
  if (Object.getPrototypeOf(item) !== Object.prototype) return null;
  let index = 0;
  for (const key in item) {
    if (key !== MESSAGE_KEYS[index++]) return null;
  }
  return index === MESSAGE_KEYS.length ? item.content : null;
}

/**
 * The JSON length of a context that is one string `input`'s message, as `itemsSize` counts it, without
 * remembering the size by the object: the entry does not keep the object, so nothing would look it up.
 */
function messageSize(input: StoredResponse["input"]): number {
  // `[{"type":"message","role":"user","content":…}]`: the frame around the text is always the same.
  return MESSAGE_FRAME + JSON.stringify((input[0] as { content: string }).content).length;
}

/** The JSON length of a lone user message's list without its text (less the empty text's quotes). */
const MESSAGE_FRAME = JSON.stringify([stringInputMessage("")]).length - 2;

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
