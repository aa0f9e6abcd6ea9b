/** P1: the default store is bounded in bytes as well as entries, so big bodies cannot pile up. */

import { describe, expect, it } from "vitest";
import { createMemoryStore, createResponsesHandler } from "../../../src/server/index.js";
import type { StoredResponse } from "../../../src/server/model.js";
import { post, scriptedModel } from "./helpers.js";

const big = (id: string, characters: number): StoredResponse => ({
  response: { id } as StoredResponse["response"],
  input: [{ type: "message", role: "user", content: "x".repeat(characters) }],
});

const withItems = (id: string, output: string[], input: string[]): StoredResponse => ({
  response: {
    id,
    output: output.map((itemId) => ({ type: "message", id: itemId, role: "assistant", content: [] })),
  } as unknown as StoredResponse["response"],
  input: input.map((itemId) => ({ type: "message", id: itemId, role: "user", content: "hi" })),
});

describe("MemoryResponseStore item index", () => {
  it("P1: finds the items of entries holding one or many, the first holder's, until it is evicted or deleted", () => {
    const store = createMemoryStore({ maxEntries: 3 });
    store.set("one", withItems("one", ["m1"], []));
    store.set("many", withItems("many", ["m2", "m3"], ["u1", "m1"]));
    for (const itemId of ["m1", "m2", "m3", "u1"]) expect(store.findItem(itemId)?.id).toBe(itemId);
    // m1 is indexed under "one", its first holder: deleting "many" leaves it found.
    store.delete("many");
    expect(store.findItem("m1")?.id).toBe("m1");
    for (const itemId of ["m2", "m3", "u1"]) expect(store.findItem(itemId)).toBeUndefined();
    store.set("two", withItems("two", ["m4"], []));
    store.set("three", withItems("three", ["m5", "m6"], []));
    store.set("four", withItems("four", [], []));
    // "one" was the least recently used: evicted with its index entry.
    expect(store.findItem("m1")).toBeUndefined();
    for (const itemId of ["m4", "m5", "m6"]) expect(store.findItem(itemId)?.id).toBe(itemId);
    store.delete("three");
    expect(store.findItem("m5")).toBeUndefined();
    expect(store.findItem("m6")).toBeUndefined();
  });
});

describe("MemoryResponseStore byte budget", () => {
  it("evicts the least recently used entries once their size passes maxBytes", () => {
    const store = createMemoryStore({ maxBytes: 3500 });
    store.set("a", big("a", 1000));
    store.set("b", big("b", 1000));
    store.set("c", big("c", 1000));
    expect(store.size).toBe(3);
    store.get("a"); // a is now the most recently used
    store.set("d", big("d", 1000));
    expect(store.get("b")).toBeUndefined();
    expect(store.get("a")?.response.id).toBe("a");
    expect(store.bytes).toBeLessThanOrEqual(3500);
  });

  it("keeps the count right when an entry is replaced or deleted", () => {
    const store = createMemoryStore({ maxBytes: 10_000 });
    store.set("a", big("a", 1000));
    const once = store.bytes;
    store.set("a", big("a", 1000));
    expect(store.bytes).toBe(once);
    store.delete("a");
    expect(store.bytes).toBe(0);
    expect(store.size).toBe(0);
  });

  it("an entry larger than the whole budget is not kept (and evicts nothing)", () => {
    const store = createMemoryStore({ maxBytes: 2000 });
    store.set("small", big("small", 100));
    store.set("huge", big("huge", 5000));
    expect(store.get("huge")).toBeUndefined();
    expect(store.get("small")?.response.id).toBe("small");
  });

  it("refuses a nonsense budget", () => {
    expect(() => createMemoryStore({ maxBytes: 0 })).toThrow(RangeError);
  });

  it("through the handler: many large requests keep the default store within its budget", async () => {
    const store = createMemoryStore({ maxBytes: 1024 * 1024 });
    const handler = createResponsesHandler({ model: scriptedModel([{ type: "text", delta: "ok" }]), store });
    const input = "y".repeat(200_000);
    for (let i = 0; i < 20; i++) {
      expect((await handler(post("/v1/responses", { input }))).status).toBe(200);
    }
    expect(store.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(store.size).toBeLessThan(20);
    expect(store.size).toBeGreaterThan(0);
  });
});

describe("MemoryResponseStore eviction order", () => {
  it("P1: evicts the least recently used entry, as a plain list in use order does, over many sets, reads, deletes and replacements", () => {
    const store = createMemoryStore({ maxEntries: 8, maxBytes: 4000 });
    // The reference: ids in use order (oldest first), with each entry's size as the store counts it.
    let order: string[] = [];
    const sizes = new Map<string, number>();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let step = 0; step < 5000; step++) {
      const id = `r${random(40)}`;
      const action = random(10);
      if (action < 5) {
        const value = big(id, 50 + random(600));
        // The entry's size as the store counts it, from a store of its own.
        const probe = createMemoryStore();
        probe.set(id, value);
        const size = probe.bytes;
        expect(store.set(id, value)).toBe(true);
        order = order.filter((kept) => kept !== id);
        order.push(id);
        sizes.set(id, size);
        let total = order.reduce((sum, kept) => sum + (sizes.get(kept) ?? 0), 0);
        while (order.length > 8 || total > 4000) {
          total -= sizes.get(order[0] ?? "") ?? 0;
          order.shift();
        }
      } else if (action < 8) {
        const found = store.get(id);
        expect(found !== undefined).toBe(order.includes(id));
        if (found !== undefined) order = [...order.filter((kept) => kept !== id), id];
      } else {
        store.delete(id);
        order = order.filter((kept) => kept !== id);
      }
      expect(store.size).toBe(order.length);
    }
    const kept = new Set(order);
    for (let n = 0; n < 40; n++) expect(store.get(`r${n}`) !== undefined).toBe(kept.has(`r${n}`));
  });
});
