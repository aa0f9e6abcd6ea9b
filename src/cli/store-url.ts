/**
 * `openresponses serve --store URL`: opens the response store a URL names. `memory:` is the kit's own
 * in-memory store; `redis://…`, `rediss://…`, `file:<dir>` and a plain directory go through `unstorage`
 * (an optional peer dependency, with `ioredis` for Redis), loaded here only when such a URL is given, so
 * the CLI runs without them otherwise.
 */

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Driver } from "unstorage";
import { registerURLPassword } from "../internal/redact.js";
import { createKVStore, createMemoryStore } from "../server/index.js";
import type { ResponseStore } from "../server/model.js";
import { UsageError } from "./args.js";

export type StoreKind = "memory" | "redis" | "file";

export interface StoreSpec {
  kind: StoreKind;
  /** The Redis URL, or the directory (absolute). */
  target: string;
  /** What to print: the URL without its password, or the directory. */
  description: string;
}

export interface OpenedStore extends StoreSpec {
  store: ResponseStore;
  /** Closes the connection (Redis keeps the process alive otherwise). */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** The entries' time to live, in seconds (see `createKVStore`). */
  ttlSeconds?: number;
  /** Told once when the store becomes unreachable, and once when it is back. */
  onStatus?: (message: string) => void;
  /** How long the startup check may wait for the store, in milliseconds. Default 5000. */
  connectTimeoutMs?: number;
}

/** A store failing its startup check, or a driver that is not installed: the command exits 1. */
export class StoreOpenError extends Error {
  override readonly name = "StoreOpenError";
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const WINDOWS_DRIVE = /^[a-z]:[\\/]/i;

/** Parses `--store`'s value; a value it cannot read is a `UsageError` (exit 2). */
export function parseStoreSpec(value: string, cwd: string): StoreSpec {
  const scheme = WINDOWS_DRIVE.test(value) ? undefined : SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const dir = resolve(cwd, value);
    return { kind: "file", target: dir, description: dir };
  }
  if (scheme === "memory") {
    return { kind: "memory", target: "", description: "memory (this process only)" };
  }
  if (scheme === "file") {
    const dir = value.startsWith("file://") ? fileURLToPath(value) : resolve(cwd, value.slice(5));
    return { kind: "file", target: dir, description: dir };
  }
  if (scheme === "redis" || scheme === "rediss") {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`--store ${scheme}://… is not a valid URL.`);
    }
    if (url.hostname === "") throw new UsageError(`--store ${scheme}://… names no host.`);
    if (url.password !== "") {
      // Every line the CLI prints goes through redactSecrets: the password cannot leak through an error.
      registerURLPassword(url.password);
      url.password = "***";
    }
    return { kind: "redis", target: value, description: url.toString() };
  }
  // Only the scheme is echoed: the rest may hold a password.
  throw new UsageError(
    `--store takes redis://…, rediss://…, file:<dir>, a directory, or memory: (not "${scheme}:…").`,
  );
}

interface RedisEvents {
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "close" | "ready", listener: () => void): unknown;
}

/** Opens the store and checks it answers a write and a delete, so a wrong URL fails at startup. */
export async function openStore(spec: StoreSpec, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  if (spec.kind === "memory") {
    return { ...spec, store: createMemoryStore(), close: async () => {} };
  }
  const { createStorage } = await loadOptional(() => import("unstorage"), spec);
  let driver: Driver;
  let checked = false;
  let closing = false;
  if (spec.kind === "redis") {
    const redis = await loadOptional(() => import("unstorage/drivers/redis"), spec);
    driver = redis.default({
      url: spec.target,
      // Bounded: a command waits for one reconnection at most, and the store's own timeout caps it.
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
    });
    // Until the startup check passed, a failure is the check's to report, in one line.
    watchRedis(driver.getInstance?.() as RedisEvents | undefined, spec, (message) => {
      if (checked && !closing) options.onStatus?.(message);
    });
  } else {
    const fsLite = await loadOptional(() => import("unstorage/drivers/fs-lite"), spec);
    driver = fsLite.default({ base: spec.target });
  }
  const storage = createStorage({ driver });
  const close = () => {
    closing = true;
    return storage.dispose().catch(() => {});
  };
  try {
    const probe = createKVStore(storage, { timeoutMs: options.connectTimeoutMs ?? 5000 });
    const id = `probe_${crypto.randomUUID().replaceAll("-", "")}`;
    await probe.set(id, { response: { id } as never, input: [] });
    await probe.delete(id);
  } catch (error) {
    await close();
    const cause = (error as { cause?: unknown }).cause;
    const reason = cause instanceof Error ? cause.message : (error as Error).message;
    throw new StoreOpenError(`cannot use the store ${spec.description}: ${reason}`);
  }
  checked = true;
  const store = createKVStore(
    storage,
    options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds },
  );
  if (spec.kind === "file") {
    // Files never expire by themselves: clear the expired ones now and then (Redis expires its keys).
    const sweep = () => void store.sweep().catch(() => {});
    sweep();
    const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
    timer.unref?.();
    return {
      ...spec,
      store,
      close: () => {
        clearInterval(timer);
        return close();
      },
    };
  }
  return { ...spec, store, close };
}

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** Imports an optional package; its absence becomes one sentence saying what to install. */
export async function loadOptional<T>(importer: () => Promise<T>, spec: StoreSpec): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw error;
    const packages = spec.kind === "redis" ? "unstorage ioredis" : "unstorage";
    throw new StoreOpenError(
      `--store ${spec.kind === "redis" ? "redis://…" : "<dir>"} needs the optional package${packages.includes(" ") ? "s" : ""} ${packages}: npm install ${packages}`,
    );
  }
}

/** ioredis reports every failed reconnection; say it once per outage, and say when it is over. */
function watchRedis(
  client: RedisEvents | undefined,
  spec: StoreSpec,
  onStatus: (message: string) => void,
): void {
  if (client === undefined) return;
  let down = false;
  const lost = (reason: string) => {
    if (down) return;
    down = true;
    onStatus(
      `the store ${spec.description} is unreachable (${reason}); turns that need it fail until it is back`,
    );
  };
  // A Redis that shuts down closes the connection without an error; one that cannot be reached errs.
  client.on("close", () => lost("connection closed"));
  client.on("error", (error) => lost(error.message));
  client.on("ready", () => {
    if (!down) return;
    down = false;
    onStatus(`the store ${spec.description} is back`);
  });
}
