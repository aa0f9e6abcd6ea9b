/**
 * P1: the default store keeps a JSON answer's response as its UTF-8 text until it is read. What a
 * client can see must not change: the stored response reads back as answered, its items are found by
 * `item_reference` and `findItem`, evicting it forgets them, and a store that overrides `set` is still
 * the one that stores.
 */

import { describe, expect, it } from "vitest";
import { createMemoryStore, createResponsesHandler, MemoryResponseStore } from "../../../src/server/index.js";
import type { StoredResponse } from "../../../src/server/model.js";
import { post, scriptedModel } from "./helpers.js";

type Resource = { id: string; store: boolean; output: Array<{ id: string; type: string }> };

async function answer(handler: (request: Request) => Promise<Response>, body: unknown): Promise<Resource> {
  const response = await handler(post("/v1/responses", body));
  expect(response.status).toBe(200);
  return (await response.json()) as Resource;
}

describe("the default store and a JSON answer's text", () => {
  it("P1: reads back exactly the response that was answered, non-ASCII text included, the same object each time", async () => {
    const store = createMemoryStore();
    const model = scriptedModel([{ type: "text", delta: 'héllo \u2028 wörld 🙂 "quoted"' }]);
    const handler = createResponsesHandler({ model, store });
    const response = await handler(post("/v1/responses", { model: "m", input: "hi" }));
    const text = await response.text();
    const resource = JSON.parse(text) as Resource;
    const stored = store.get(resource.id);
    expect(stored?.response).toEqual(JSON.parse(text));
    expect(JSON.stringify(stored?.response)).toBe(text);
    expect(stored?.input).toEqual([{ type: "message", role: "user", content: "hi" }]);
    expect(store.get(resource.id)?.response).toBe(stored?.response);
  });

  it("P1: its output items are found by findItem and by item_reference, and forgotten when it is evicted", async () => {
    const store = createMemoryStore({ maxEntries: 1 });
    const handler = createResponsesHandler({
      model: scriptedModel([{ type: "text", delta: "first" }]),
      store,
    });
    const first = await answer(handler, { model: "m", input: "one" });
    const itemId = first.output[0]?.id ?? "";
    expect(store.findItem(itemId)).toMatchObject({ id: itemId, type: "message" });
    const referenced = await handler(
      post("/v1/responses", { model: "m", input: [{ type: "item_reference", id: itemId }], store: false }),
    );
    expect(referenced.status).toBe(200);
    await answer(handler, { model: "m", input: "two" });
    expect(store.get(first.id)).toBeUndefined();
    expect(store.findItem(itemId)).toBeUndefined();
  });

  it("P1: an answer over maxBytes is not kept and says store: false", async () => {
    const store = createMemoryStore({ maxBytes: 200 });
    const handler = createResponsesHandler({
      model: scriptedModel([{ type: "text", delta: "x".repeat(500) }]),
      store,
    });
    const resource = await answer(handler, { model: "m", input: "hi" });
    expect(resource.store).toBe(false);
    expect(store.size).toBe(0);
  });

  it("P1: a store that overrides set (a subclass) is called for JSON answers, with the response", async () => {
    const seen: StoredResponse[] = [];
    class LoggingStore extends MemoryResponseStore {
      override set(id: string, value: StoredResponse): boolean {
        seen.push(value);
        return super.set(id, value);
      }
    }
    const store = new LoggingStore();
    const handler = createResponsesHandler({ model: scriptedModel([{ type: "text", delta: "ok" }]), store });
    const resource = await answer(handler, { model: "m", input: "hi" });
    expect(seen.map((value) => value.response.id)).toEqual([resource.id]);
    expect(store.get(resource.id)?.response).toEqual(resource);
  });

  it("P1: many answers in a row read back exactly as answered, after all of them were made", async () => {
    const store = createMemoryStore();
    const texts: string[] = [];
    let turn = 0;
    const model = scriptedModel(() => {
      turn++;
      // Sizes that fill the shared blocks unevenly; one long answer among them; multi-byte text.
      const delta =
        turn === 7 ? "long ".repeat(900) : `${"é€🙂".repeat(turn % 11)}${"w".repeat((turn * 97) % 900)}`;
      return [{ type: "text", delta }];
    });
    const handler = createResponsesHandler({ model, store });
    for (let i = 0; i < 60; i++) {
      const response = await handler(post("/v1/responses", { model: "m", input: `turn ${i}` }));
      texts.push(await response.text());
    }
    for (const text of texts) {
      const resource = JSON.parse(text) as Resource;
      expect(JSON.stringify(store.get(resource.id)?.response)).toBe(text);
    }
  });

  it("P1: a string input reads back as its user message, a new object equal to it, counted at its JSON size", async () => {
    const store = createMemoryStore();
    const handler = createResponsesHandler({ model: scriptedModel([{ type: "text", delta: "ok" }]), store });
    const response = await handler(post("/v1/responses", { model: "m", input: 'say "hi" ☃' }));
    const text = await response.text();
    const { id } = JSON.parse(text) as Resource;
    const message = { type: "message", role: "user", content: 'say "hi" ☃' };
    expect(store.bytes).toBe(text.length + JSON.stringify([message]).length);
    const input = store.get(id)?.input;
    expect(JSON.stringify(input)).toBe(JSON.stringify([message]));
    expect(Object.getPrototypeOf(input?.[0])).toBe(Object.prototype);
    expect(store.get(id)?.input).toBe(input);
  });

  it("P1: a one-message input in another key order, or with an id, reads back as it was given", async () => {
    const store = createMemoryStore();
    const handler = createResponsesHandler({ model: scriptedModel([{ type: "text", delta: "ok" }]), store });
    const reordered = [{ role: "user", content: "hi", type: "message" }];
    const withId = [{ type: "message", role: "user", content: "hi", id: "msg_given_1" }];
    const first = await answer(handler, { model: "m", input: reordered });
    const second = await answer(handler, { model: "m", input: withId });
    expect(JSON.stringify(store.get(first.id)?.input)).toBe(JSON.stringify(reordered));
    expect(JSON.stringify(store.get(second.id)?.input)).toBe(JSON.stringify(withId));
    expect(store.findItem("msg_given_1")).toMatchObject({ id: "msg_given_1", content: "hi" });
  });
});
