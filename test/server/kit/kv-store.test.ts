import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage, type Storage } from "unstorage";
import fsLiteDriver from "unstorage/drivers/fs-lite";
import { afterAll, describe, expect, it } from "vitest";
import {
  createKVStore,
  createResponsesHandler,
  type KeyValueStorage,
  ResponseStoreUnavailableError,
} from "../../../src/server/index.js";
import type { StoredResponse } from "../../../src/server/model.js";
import type { ItemField } from "../../../src/spec/index.js";
import { until } from "../../support/until.js";
import { post, scriptedModel, specError } from "./helpers.js";

const stored = (id: string, text = "hello"): StoredResponse => ({
  response: { id, object: "response", output: [] } as unknown as StoredResponse["response"],
  input: [{ type: "message", role: "user", content: text }],
});

/** A model that answers "reply N", counting across every handler it serves. */
function counterModel() {
  let turn = 0;
  return scriptedModel(() => [{ type: "text", delta: `reply ${++turn}` }]);
}

async function create(handler: (request: Request) => Promise<Response>, body: object) {
  const response = await handler(post("/v1/responses", body));
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; output: ItemField[] };
}

/** unstorage's memory storage, with switches that make it hang or fail like a store that is down. */
function faultyStorage() {
  const inner = createStorage();
  const state = { mode: "up" as "up" | "hang" | "fail", calls: 0 };
  const gate = <T>(call: () => Promise<T>): Promise<T> => {
    state.calls++;
    if (state.mode === "hang") return new Promise<T>(() => {});
    if (state.mode === "fail") return Promise.reject(new Error("ECONNREFUSED 127.0.0.1:6379"));
    return call();
  };
  const storage: KeyValueStorage = {
    getItem: (key) => gate(() => inner.getItem(key)),
    setItem: (key, value, options) => gate(() => inner.setItem(key, value, options)),
    removeItem: (key) => gate(() => inner.removeItem(key)),
  };
  return { storage, state };
}

describe("createKVStore on unstorage", () => {
  it("takes unstorage's Storage as it is, and round-trips an entry through it", async () => {
    const storage: Storage = createStorage();
    const store = createKVStore(storage);
    await store.set("resp_1", stored("resp_1"));
    expect(await store.get("resp_1")).toEqual(stored("resp_1"));
    expect(await storage.getKeys()).toEqual(["openresponses:response:resp_1"]);
    await store.delete("resp_1");
    expect(await store.get("resp_1")).toBeUndefined();
  });

  it("two handlers on one storage continue each other's conversation (P1, item_reference)", async () => {
    const storage = createStorage();
    const model = counterModel();
    const a = createResponsesHandler({ model, store: createKVStore(storage) });
    const b = createResponsesHandler({ model, store: createKVStore(storage) });
    const first = await create(a, { input: "one" });
    const second = await create(b, { input: "two", previous_response_id: first.id });
    const replyId = first.output[0]?.id;
    await create(a, {
      previous_response_id: second.id,
      input: [
        { type: "item_reference", id: replyId },
        { type: "message", role: "user", content: "three" },
      ],
    });
    const seen = model.requests[2]?.input.map((item) => (item.type === "message" ? item.role : item.type));
    expect(seen).toEqual(["user", "assistant", "user", "assistant", "assistant", "user"]);
  });

  it("keeps entries in a directory with the filesystem driver, across store instances", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openresponses-kv-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    await createKVStore(createStorage({ driver: fsLiteDriver({ base: dir }) })).set(
      "resp_f",
      stored("resp_f"),
    );
    const reopened = createKVStore(createStorage({ driver: fsLiteDriver({ base: dir }) }));
    expect((await reopened.get("resp_f"))?.response.id).toBe("resp_f");
    expect(readdirSync(dir, { recursive: true }).length).toBeGreaterThan(0);
  });
});

describe("createKVStore: item_reference to any stored response (findItem)", () => {
  it("a replica resolves an item_reference to an output item another replica stored, with no chain", async () => {
    const storage = createStorage();
    const model = counterModel();
    const a = createResponsesHandler({ model, store: createKVStore(storage) });
    const b = createResponsesHandler({ model, store: createKVStore(storage) });
    const first = await create(a, { input: "one" });
    const replyId = first.output[0]?.id;
    expect(typeof replyId).toBe("string");
    await create(b, {
      input: [
        { type: "item_reference", id: replyId },
        { type: "message", role: "user", content: "two" },
      ],
    });
    const seen = model.requests[1]?.input.map((item) => (item.type === "message" ? item.role : item.type));
    expect(seen).toEqual(["assistant", "user"]);
    expect(model.requests[1]?.input[0]).toEqual(first.output[0]);
  });

  it("finds nothing once the response expired or was deleted, and nothing for ids it never issues", async () => {
    let now = 5_000_000;
    const store = createKVStore(createStorage(), { ttlSeconds: 10, now: () => now });
    const value = stored("resp_h");
    const item = { type: "message", id: "msg_1", role: "assistant", status: "completed", content: [] };
    (value.response as { output: unknown[] }).output = [item];
    await store.set("resp_h", value);
    expect(await store.findItem("msg_1")).toEqual(item);
    expect(await store.findItem("../msg_1")).toBeUndefined();
    now += 11_000;
    expect(await store.findItem("msg_1")).toBeUndefined();
    now -= 11_000;
    await store.delete("resp_h");
    expect(await store.findItem("msg_1")).toBeUndefined();
  });
});

describe("createKVStore bounds", () => {
  it("an entry expires after ttlSeconds whatever the driver does, and is then cleared", async () => {
    let now = 1_000_000;
    const storage = createStorage();
    const store = createKVStore(storage, { ttlSeconds: 60, now: () => now });
    await store.set("resp_t", stored("resp_t"));
    now += 59_000;
    expect(await store.get("resp_t")).toBeDefined();
    now += 2_000;
    expect(await store.get("resp_t")).toBeUndefined();
    // The expired entry is removed in the background.
    await until(async () => (await storage.getKeys()).length === 0, "the expired entry's removal");
    expect(await storage.getKeys()).toEqual([]);
  });

  it("sweep() clears expired entries (responses and their item pointers) of a driver that keeps files forever", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openresponses-sweep-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    let now = 2_000_000;
    const storage = createStorage({ driver: fsLiteDriver({ base: dir }) });
    const store = createKVStore(storage, { ttlSeconds: 60, now: () => now });
    const old = stored("resp_old");
    (old.response as { output: unknown[] }).output = [
      { type: "message", id: "msg_old", role: "assistant", content: [] },
    ];
    await store.set("resp_old", old);
    now += 30_000;
    await store.set("resp_new", stored("resp_new"));
    await storage.setItem("openresponses:response:notours", "hand-written");
    now += 31_000;
    expect(await store.sweep()).toBe(2);
    expect((await storage.getKeys()).sort()).toEqual([
      "openresponses:response:notours",
      "openresponses:response:resp_new",
    ]);
    expect(
      await createKVStore({ getItem: () => null, setItem: () => {}, removeItem: () => {} }).sweep(),
    ).toBe(0);
  });

  it("passes the time to live to the driver, which expires keys itself where it can (Redis, KV)", async () => {
    const seen: Array<number | undefined> = [];
    const store = createKVStore(
      {
        getItem: () => null,
        setItem: (_key, _value, options) => {
          seen.push(options?.ttl);
        },
        removeItem: () => {},
      },
      { ttlSeconds: 90.5 },
    );
    await store.set("resp_x", stored("resp_x"));
    expect(seen).toEqual([91]);
  });

  it("does not keep an entry larger than maxEntryBytes (counted in UTF-8 bytes), keeps a smaller one", async () => {
    const storage = createStorage();
    const store = createKVStore(storage, { maxEntryBytes: 4096 });
    await store.set("resp_small", stored("resp_small", "x".repeat(1000)));
    // 1,500 characters of three UTF-8 bytes each: under the limit by length, over it in bytes.
    await store.set("resp_big", stored("resp_big", "€".repeat(1500)));
    expect(await store.get("resp_small")).toBeDefined();
    expect(await store.get("resp_big")).toBeUndefined();
    expect(await storage.getKeys()).toEqual(["openresponses:response:resp_small"]);
  });

  it("ids the kit never issues never reach the storage (no path segments in file keys)", async () => {
    const { storage, state } = faultyStorage();
    const store = createKVStore(storage);
    expect(await store.get("../../etc/passwd")).toBeUndefined();
    expect(await store.get("a:b")).toBeUndefined();
    await store.set("x/y", stored("x/y"));
    expect(state.calls).toBe(0);
  });

  it("an entry that is not one of ours reads as absent, not as a crash", async () => {
    const storage = createStorage();
    await storage.setItem("openresponses:response:resp_junk", "not json {");
    await storage.setItem("openresponses:response:resp_shape", JSON.stringify({ expiresAt: 1 }));
    const store = createKVStore(storage);
    expect(await store.get("resp_junk")).toBeUndefined();
    expect(await store.get("resp_shape")).toBeUndefined();
  });

  it("rejects options that would make it unbounded", () => {
    const storage = createStorage();
    expect(() => createKVStore(storage, { ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => createKVStore(storage, { maxEntryBytes: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => createKVStore(storage, { timeoutMs: -1 })).toThrow(RangeError);
    expect(() => createKVStore({} as KeyValueStorage)).toThrow(TypeError);
  });
});

describe("createKVStore when the store is down", () => {
  it("a hanging store fails each call after timeoutMs with ResponseStoreUnavailableError", async () => {
    const { storage, state } = faultyStorage();
    const store = createKVStore(storage, { timeoutMs: 50 });
    state.mode = "hang";
    const started = performance.now();
    await expect(store.get("resp_1")).rejects.toBeInstanceOf(ResponseStoreUnavailableError);
    await expect(store.set("resp_1", stored("resp_1"))).rejects.toThrow(
      /did not answer a write within 50 ms/,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("a turn that cannot read its context is a 500 store_unavailable, then succeeds once the store is back", async () => {
    const { storage, state } = faultyStorage();
    const errors: string[] = [];
    const handler = createResponsesHandler({
      model: counterModel(),
      store: createKVStore(storage, { timeoutMs: 50 }),
      onError: (_error, phase) => errors.push(phase),
    });
    const first = await create(handler, { input: "one" });

    for (const mode of ["hang", "fail"] as const) {
      state.mode = mode;
      const error = await specError(
        await handler(post("/v1/responses", { input: "two", previous_response_id: first.id })),
        500,
      );
      expect(error).toMatchObject({ type: "server_error", code: "store_unavailable" });
      expect(String(error.message)).not.toContain("6379");
    }

    // A turn that needs no context still answers; the save that fails is reported, not thrown.
    const unsaved = await create(handler, { input: "while down" });
    expect(unsaved.output.length).toBe(1);
    expect(errors).toContain("store");

    state.mode = "up";
    const second = await create(handler, { input: "two", previous_response_id: first.id });
    expect(second.id).not.toBe(first.id);
  });

  it("a streamed turn on a hanging store also ends in a spec error, not a hang", async () => {
    const { storage, state } = faultyStorage();
    const handler = createResponsesHandler({
      model: counterModel(),
      store: createKVStore(storage, { timeoutMs: 50 }),
    });
    const first = await create(handler, { input: "one" });
    state.mode = "hang";
    const error = await specError(
      await handler(post("/v1/responses", { input: "two", previous_response_id: first.id, stream: true })),
      500,
    );
    expect(error.code).toBe("store_unavailable");
  });
});
