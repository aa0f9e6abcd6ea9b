/**
 * A response the server calls stored must be retrievable. When the store fails (Redis unreachable) or
 * declines an entry (over its size bound), the turn is still answered, since the model's work is good,
 * but its terminal snapshot (the JSON answer, the SSE and WebSocket terminal event) says `store: false`,
 * and a continuation from it is `previous_response_not_found` as for any unstored response.
 */
import { describe, expect, it } from "vitest";
import { createMemoryStore, createResponsesHandler } from "../../../src/server/index.js";
import type { ResponseStore, StoredResponse } from "../../../src/server/model.js";
import { ResponsesConnection } from "../../../src/server/websocket/connection.js";
import { parseSSE, post, scriptedModel, specError } from "./helpers.js";

/** A store whose writes fail as an unreachable Redis's do; reads find nothing. */
function unreachableStore(): ResponseStore & { writes: number } {
  const store = {
    writes: 0,
    get: () => undefined,
    set: async () => {
      store.writes++;
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6379"), { code: "store_unavailable" });
    },
  };
  return store;
}

const model = () => scriptedModel([{ type: "text", delta: "Hello" }]);
type Resource = { id: string; status: string; store: boolean };

describe("a store: true turn that was not stored says store: false", () => {
  it("JSON: 200 with the answer and store: false; onError hears of it; the follow-up is previous_response_not_found", async () => {
    const store = unreachableStore();
    const phases: string[] = [];
    const handler = createResponsesHandler({
      model: model(),
      store,
      onError: (_e, phase) => phases.push(phase),
    });
    const answer = await handler(post("/v1/responses", { model: "m", input: "hi", store: true }));
    expect(answer.status).toBe(200);
    const resource = (await answer.json()) as Resource;
    expect(resource.status).toBe("completed");
    expect(resource.store).toBe(false);
    expect(store.writes).toBe(1);
    expect(phases).toEqual(["store"]);
    const next = await handler(
      post("/v1/responses", { model: "m", input: "again", previous_response_id: resource.id }),
    );
    expect((await specError(next, 404)).code).toBe("previous_response_not_found");
  });

  it("SSE: the terminal event's snapshot says store: false", async () => {
    const handler = createResponsesHandler({ model: model(), store: unreachableStore() });
    const answer = await handler(post("/v1/responses", { model: "m", input: "hi", stream: true }));
    const events = parseSSE(await answer.text())
      .filter((message) => message.data !== "[DONE]")
      .map((message) => JSON.parse(message.data) as { type: string; response?: Resource });
    expect(events.at(-1)?.type).toBe("response.completed");
    expect(events.at(-1)?.response?.store).toBe(false);
  });

  it("an entry the in-memory store declines (over maxBytes) is answered with store: false too", async () => {
    const handler = createResponsesHandler({ model: model(), store: createMemoryStore({ maxBytes: 100 }) });
    const resource = (await (
      await handler(post("/v1/responses", { model: "m", input: "hi" }))
    ).json()) as Resource;
    expect(resource.store).toBe(false);
    const kept = createResponsesHandler({ model: model() });
    expect(
      ((await (await kept(post("/v1/responses", { model: "m", input: "hi" }))).json()) as Resource).store,
    ).toBe(true);
  });

  it("a store whose set returns nothing is taken as having kept the response (the interface as it was)", async () => {
    const entries = new Map<string, StoredResponse>();
    const store: ResponseStore = {
      get: (id) => entries.get(id),
      set: (id, value) => void entries.set(id, value),
    };
    const handler = createResponsesHandler({ model: model(), store });
    const resource = (await (
      await handler(post("/v1/responses", { model: "m", input: "hi" }))
    ).json()) as Resource;
    expect(resource.store).toBe(true);
    expect(entries.has(resource.id)).toBe(true);
  });

  it("W4: over a WebSocket the terminal event says store: false, and the same socket can still continue it", async () => {
    const handler = createResponsesHandler({ model: model(), store: unreachableStore() });
    const sent: Array<{ type: string; response?: Resource; error?: { code: string } }> = [];
    const connection = new ResponsesConnection({
      engine: handler.engine,
      store: handler.engine.store,
      maxAgeMs: Number.POSITIVE_INFINITY,
      send: (text) => {
        sent.push(JSON.parse(text));
      },
      close: () => {},
    });
    const terminal = async () => {
      for (let i = 0; i < 100 && !sent.some((m) => m.type === "response.completed"); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const found = sent.find((m) => m.type === "response.completed");
      sent.length = 0;
      return found;
    };
    connection.receive(JSON.stringify({ type: "response.create", model: "m", input: "hi" }));
    const first = await terminal();
    expect(first?.response?.store).toBe(false);
    connection.receive(
      JSON.stringify({
        type: "response.create",
        model: "m",
        input: "more",
        previous_response_id: first?.response?.id,
      }),
    );
    expect((await terminal())?.response?.status).toBe("completed");
    connection.dispose();
  });
});
