/**
 * `createKVStore`: a `ResponseStore` on a shared key-value layer, so that replicas of a server (or one
 * server across restarts) continue each other's conversations. It is written against the small part of
 * `unstorage`'s `Storage` it needs, and takes the storage from the caller: this file imports neither
 * `unstorage` nor any Node built-in, so `openresponses/server` loads without them, and whoever uses it
 * picks the driver (Redis, Cloudflare KV, Vercel KV, Deno KV, the filesystem, memory...).
 *
 *   import { createStorage } from "unstorage";
 *   import redisDriver from "unstorage/drivers/redis";
 *   const store = createKVStore(createStorage({ driver: redisDriver({ url: "redis://127.0.0.1:6379" }) }));
 *
 * The bounds of the in-memory store hold here too: every entry expires (`ttlSeconds`, checked on read
 * whatever the driver does, and passed to drivers that expire keys themselves), and one entry larger
 * than `maxEntryBytes` is not kept. A store that is down or slow makes each call fail after `timeoutMs`
 * with `ResponseStoreUnavailableError`, which the kit answers as a spec error; calls succeed again as
 * soon as the store does, since nothing here remembers the outage.
 *
 * Keys: `<prefix>:<response id>` holds a response and its context; `<prefix>:item:<item id>` names the
 * response whose output holds that item, so `item_reference` can reach the output items of any stored
 * response (`findItem`), not only those of the `previous_response_id` chain.
 */

import type { ItemField, ItemParam } from "../../spec/index.js";
import type { ResponseStore, StoredResponse } from "../model.js";

/**
 * The part of a key-value storage the adapter uses: `unstorage`'s `Storage` satisfies it as it is, and
 * so does a thin wrapper around any other client (three methods).
 */
export interface KeyValueStorage {
  /** The value stored under `key` (a string, or the parsed JSON some layers return), or null. */
  getItem(key: string): Promise<unknown> | unknown;
  /** `ttl` is in seconds; drivers that can expire keys (Redis, Cloudflare KV) do, others ignore it. */
  setItem(key: string, value: string, options?: { ttl?: number }): Promise<void> | void;
  removeItem(key: string): Promise<void> | void;
  /**
   * Optional: the keys under a prefix (unstorage's `getKeys`). With it, `sweep()` clears the expired
   * entries of drivers that never expire keys themselves (the filesystem, memory).
   */
  getKeys?(base: string): Promise<string[]> | string[];
}

export interface KVStoreOptions {
  /** The key prefix, so the store can share a database with other data. Default `"openresponses:response"`. */
  prefix?: string;
  /** How long a response is kept, in seconds. Default 30 days (2,592,000). */
  ttlSeconds?: number;
  /**
   * The largest entry kept, in bytes of JSON (the response plus its input context); a larger one is not
   * stored, like in the in-memory store. Default 16 MiB.
   */
  maxEntryBytes?: number;
  /** How long one store call may take before it fails as unavailable, in milliseconds. Default 2000. */
  timeoutMs?: number;
  /** The clock, in milliseconds; default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_KV_TTL_SECONDS = 30 * 24 * 60 * 60;
export const DEFAULT_KV_MAX_ENTRY_BYTES = 16 * 1024 * 1024;
export const DEFAULT_KV_TIMEOUT_MS = 2000;

/** The store did not answer (down, unreachable, or slower than `timeoutMs`). The kit answers 500. */
export class ResponseStoreUnavailableError extends Error {
  override readonly name = "ResponseStoreUnavailableError";
  readonly code = "store_unavailable";
}

// The kit's own ids are `resp_<hex>`; anything else a client sends as `previous_response_id` can never have
// been stored, and keeping such text out of keys keeps it out of file paths and key patterns.
const STORABLE_ID = /^[A-Za-z0-9_-]{1,200}$/;
// No stored id has a colon, so `<prefix>:item:<id>` never meets a response key; a response named `item`
// is refused, as its key would be the folder of the index on the filesystem.
const ITEM_SEGMENT = "item:";

interface Envelope {
  /** When the entry stops being valid, in milliseconds since the epoch. */
  expiresAt: number;
  value: StoredResponse;
}

export class KVResponseStore implements ResponseStore {
  readonly prefix: string;
  readonly ttlSeconds: number;
  readonly maxEntryBytes: number;
  readonly timeoutMs: number;
  readonly #storage: KeyValueStorage;
  readonly #now: () => number;

  constructor(storage: KeyValueStorage, options: KVStoreOptions = {}) {
    if (typeof storage?.getItem !== "function" || typeof storage.setItem !== "function") {
      throw new TypeError(
        "createKVStore needs a storage with getItem, setItem and removeItem (e.g. unstorage).",
      );
    }
    this.#storage = storage;
    this.prefix = (options.prefix ?? "openresponses:response").replace(/:+$/, "");
    this.ttlSeconds = positive(options.ttlSeconds ?? DEFAULT_KV_TTL_SECONDS, "ttlSeconds");
    this.maxEntryBytes = positive(options.maxEntryBytes ?? DEFAULT_KV_MAX_ENTRY_BYTES, "maxEntryBytes");
    this.timeoutMs = positive(options.timeoutMs ?? DEFAULT_KV_TIMEOUT_MS, "timeoutMs");
    this.#now = options.now ?? Date.now;
  }

  async get(id: string): Promise<StoredResponse | undefined> {
    if (!STORABLE_ID.test(id)) return undefined;
    const raw = await this.#call("read", () => this.#storage.getItem(this.#key(id)));
    const envelope = decode(raw);
    if (envelope === undefined) return undefined;
    if (envelope.expiresAt <= this.#now()) {
      // Drivers without expiry (the filesystem) would keep it forever: clear it, without waiting.
      this.#call("delete", () => this.#storage.removeItem(this.#key(id))).catch(() => {});
      return undefined;
    }
    return envelope.value;
  }

  /** False when the entry is not kept (an id it cannot hold, not serialisable, over `maxEntryBytes`). */
  async set(id: string, value: StoredResponse): Promise<boolean> {
    if (!STORABLE_ID.test(id) || id === ITEM_SEGMENT.slice(0, -1)) return false;
    let text: string;
    const expiresAt = this.#now() + this.ttlSeconds * 1000;
    try {
      const envelope: Envelope = { expiresAt, value };
      text = JSON.stringify(envelope);
    } catch {
      return false; // Not serialisable (a cycle from a custom model's item): not kept, as in the memory store.
    }
    if (overBytes(text, this.maxEntryBytes)) return false;
    const ttl = Math.ceil(this.ttlSeconds);
    await this.#call("write", () => this.#storage.setItem(this.#key(id), text, { ttl }));
    // The output items are new with this response; items of its input are reached through its chain.
    const itemIds = new Set<string>();
    for (const item of Array.isArray(value.response.output) ? value.response.output : []) {
      const itemId = (item as { id?: unknown } | null)?.id;
      if (typeof itemId === "string" && STORABLE_ID.test(itemId)) itemIds.add(itemId);
    }
    const pointer = JSON.stringify({ expiresAt, responseId: id } satisfies ItemPointer);
    await Promise.all(
      [...itemIds].map((itemId) =>
        this.#call("write", () => this.#storage.setItem(this.#itemKey(itemId), pointer, { ttl })),
      ),
    );
    return true;
  }

  /** An item of any stored response's output (or of the context it was made from), by its id. */
  async findItem(itemId: string): Promise<ItemParam | ItemField | undefined> {
    if (!STORABLE_ID.test(itemId)) return undefined;
    const pointer = decodePointer(
      await this.#call("read", () => this.#storage.getItem(this.#itemKey(itemId))),
    );
    if (pointer === undefined || pointer.expiresAt <= this.#now()) return undefined;
    const stored = await this.get(pointer.responseId);
    if (stored === undefined) return undefined;
    const has = (item: ItemParam | ItemField) => (item as { id?: unknown }).id === itemId;
    return stored.response.output.find(has) ?? stored.input.find(has);
  }

  /**
   * Removes the expired entries, for drivers that keep keys forever (the filesystem, memory); a no-op
   * without `getKeys`. Resolves to how many were removed. Entries not read back as ours are left alone.
   */
  async sweep(): Promise<number> {
    const storage = this.#storage;
    if (typeof storage.getKeys !== "function") return 0;
    const keys = await this.#call("list", () => storage.getKeys?.(this.prefix) ?? [], this.timeoutMs * 10);
    let removed = 0;
    for (const key of keys) {
      const raw = await this.#call("read", () => storage.getItem(key));
      const entry = decode(raw) ?? decodePointer(raw);
      if (entry === undefined || entry.expiresAt > this.#now()) continue;
      await this.#call("delete", () => storage.removeItem(key));
      removed++;
    }
    return removed;
  }

  async delete(id: string): Promise<void> {
    if (!STORABLE_ID.test(id)) return;
    await this.#call("delete", () => this.#storage.removeItem(this.#key(id)));
  }

  #key(id: string): string {
    return this.prefix === "" ? id : `${this.prefix}:${id}`;
  }

  #itemKey(itemId: string): string {
    return this.#key(`${ITEM_SEGMENT}${itemId}`);
  }

  /** Runs one storage call, bounded by `timeoutMs`; every failure becomes `ResponseStoreUnavailableError`. */
  async #call<T>(what: string, call: () => Promise<T> | T, timeoutMs = this.timeoutMs): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ResponseStoreUnavailableError(
              `The response store did not answer a ${what} within ${timeoutMs} ms.`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([Promise.resolve().then(call), timeout]);
    } catch (error) {
      if (error instanceof ResponseStoreUnavailableError) throw error;
      throw new ResponseStoreUnavailableError(`The response store failed a ${what}.`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

export function createKVStore(storage: KeyValueStorage, options?: KVStoreOptions): KVResponseStore {
  return new KVResponseStore(storage, options);
}

/** What `<prefix>:item:<item id>` holds: the response whose output has the item. */
interface ItemPointer {
  expiresAt: number;
  responseId: string;
}

function decodePointer(raw: unknown): ItemPointer | undefined {
  const parsed = parseStored(raw);
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { expiresAt, responseId } = parsed as Partial<ItemPointer>;
  if (typeof expiresAt !== "number" || typeof responseId !== "string") return undefined;
  return { expiresAt, responseId };
}

/** Text is parsed; some layers (unstorage) parse JSON on read already and hand back the object. */
function parseStored(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** The envelope from what the storage returned (text, or JSON a layer parsed already), or undefined. */
function decode(raw: unknown): Envelope | undefined {
  const parsed = parseStored(raw);
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { expiresAt, value } = parsed as Partial<Envelope>;
  if (typeof expiresAt !== "number" || typeof value !== "object" || value === null) return undefined;
  if (typeof value.response !== "object" || value.response === null || !Array.isArray(value.input)) {
    return undefined;
  }
  return { expiresAt, value };
}

/** Whether `text` is more than `limit` bytes of UTF-8, encoding it only when the length cannot tell. */
function overBytes(text: string, limit: number): boolean {
  // A UTF-16 code unit is at least 1 and at most 3 bytes of UTF-8.
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return new TextEncoder().encode(text).byteLength > limit;
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number`);
  return value;
}
