/**
 * The stored-response extensions: GET /responses/{id}, DELETE /responses/{id} and
 * GET /responses/{id}/input_items (cursor pagination shaped like OpenAI's list objects).
 */

import { describe, expect, it } from "vitest";
import { createResponsesHandler, sequentialIds } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import type { ResponseStore, StoredResponse } from "../../../src/server/model.js";
import type { ResponseResource } from "../../../src/spec/index.js";
import { post, specError } from "./helpers.js";

const get = (path: string, init: RequestInit = {}) => new Request(`http://localhost${path}`, init);

function setup(options: { store?: ResponseStore; apiKey?: string } = {}) {
  return createResponsesHandler({ model: mockModel(), idGenerator: sequentialIds(), ...options });
}

async function create(handler: (request: Request) => Promise<Response>, body: object, headers = {}) {
  const response = await handler(post("/v1/responses", body, headers));
  expect(response.status).toBe(200);
  return (await response.json()) as ResponseResource;
}

interface ListBody {
  object: string;
  data: Array<{ id: string; type: string }>;
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

describe("GET /v1/responses/{id}", () => {
  it("answers the stored resource, exactly as create answered it", async () => {
    const handler = setup();
    const created = await create(handler, { input: "echo stored" });
    const response = await handler(get(`/v1/responses/${created.id}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual(created);
  });

  it("an unknown id (or a store: false response) is a 404 response_not_found naming the id", async () => {
    const handler = setup();
    const unstored = await create(handler, { input: "hi", store: false });
    for (const id of ["resp_nowhere", unstored.id]) {
      const error = await specError(await handler(get(`/v1/responses/${id}`)), 404);
      expect(error).toMatchObject({ type: "not_found", code: "response_not_found", param: "response_id" });
      expect(error.message).toContain(id);
    }
  });

  it("needs the API key like every route; other methods get 405 with Allow", async () => {
    const handler = setup({ apiKey: "sk-stored-test" });
    const created = await create(handler, { input: "hi" }, { authorization: "Bearer sk-stored-test" });
    expect((await handler(get(`/v1/responses/${created.id}`))).status).toBe(401);
    const ok = await handler(
      get(`/v1/responses/${created.id}`, { headers: { authorization: "Bearer sk-stored-test" } }),
    );
    expect(ok.status).toBe(200);
    const put = await handler(get(`/v1/responses/${created.id}`, { method: "PUT" }));
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, DELETE");
    const postItems = await handler(
      get(`/v1/responses/${created.id}/input_items`, { method: "POST", body: "{}" }),
    );
    expect(postItems.status).toBe(405);
    expect(postItems.headers.get("allow")).toBe("GET");
  });
});

describe("DELETE /v1/responses/{id}", () => {
  it("deletes: OpenAI's deletion object, then 404 on GET and on previous_response_id", async () => {
    const handler = setup();
    const created = await create(handler, { input: "my name is Ada" });
    const deleted = await handler(get(`/v1/responses/${created.id}`, { method: "DELETE" }));
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: created.id, object: "response", deleted: true });
    expect((await handler(get(`/v1/responses/${created.id}`))).status).toBe(404);
    const continued = await handler(
      post("/v1/responses", { input: "what is my name?", previous_response_id: created.id }),
    );
    expect((await specError(continued, 404)).code).toBe("previous_response_not_found");
    // Its items are gone too: an item_reference to them no longer resolves.
    const reference = await handler(
      post("/v1/responses", { input: [{ type: "item_reference", id: created.output[0]?.id }] }),
    );
    expect((await specError(reference, 404)).code).toBe("item_not_found");
    expect((await handler(get(`/v1/responses/${created.id}`, { method: "DELETE" }))).status).toBe(404);
  });

  it("a store without delete answers 501 unsupported_endpoint", async () => {
    const map = new Map<string, StoredResponse>();
    const store: ResponseStore = { get: (id) => map.get(id), set: (id, value) => void map.set(id, value) };
    const handler = setup({ store });
    const created = await create(handler, { input: "hi" });
    const error = await specError(
      await handler(get(`/v1/responses/${created.id}`, { method: "DELETE" })),
      501,
    );
    expect(error.code).toBe("unsupported_endpoint");
    expect(error.message).toMatch(/delete/);
  });
});

describe("GET /v1/responses/{id}/input_items", () => {
  async function threeTurns() {
    const handler = setup();
    const one = await create(handler, { input: "my name is Ada" });
    const two = await create(handler, { input: "what is my name?", previous_response_id: one.id });
    return { handler, one, two };
  }
  const list = async (handler: (request: Request) => Promise<Response>, path: string) => {
    const response = await handler(get(path));
    expect(response.status).toBe(200);
    return (await response.json()) as ListBody;
  };

  it("lists the context the response was made from, newest first by default, every item with an id", async () => {
    const { handler, one, two } = await threeTurns();
    const page = await list(handler, `/v1/responses/${two.id}/input_items`);
    expect(page.object).toBe("list");
    // The context of turn two: turn one's user message, turn one's answer, turn two's user message.
    expect(page.data.map((item) => item.type)).toEqual(["message", "message", "message"]);
    expect(page.data[1]?.id).toBe(one.output[0]?.id);
    expect(page.data.every((item) => typeof item.id === "string" && item.id !== "")).toBe(true);
    expect(page.first_id).toBe(page.data[0]?.id);
    expect(page.last_id).toBe(page.data[2]?.id);
    expect(page.has_more).toBe(false);
    const ascending = await list(handler, `/v1/responses/${two.id}/input_items?order=asc`);
    expect(ascending.data.map((item) => item.id)).toEqual(page.data.map((item) => item.id).reverse());
  });

  it("paginates with after and limit; ids are stable across calls", async () => {
    const { handler, two } = await threeTurns();
    const all = await list(handler, `/v1/responses/${two.id}/input_items?order=asc`);
    const first = await list(handler, `/v1/responses/${two.id}/input_items?order=asc&limit=2`);
    expect(first.data.map((item) => item.id)).toEqual(all.data.slice(0, 2).map((item) => item.id));
    expect(first.has_more).toBe(true);
    const second = await list(
      handler,
      `/v1/responses/${two.id}/input_items?order=asc&limit=2&after=${first.last_id}`,
    );
    expect(second.data.map((item) => item.id)).toEqual(all.data.slice(2).map((item) => item.id));
    expect(second.has_more).toBe(false);
  });

  it("refuses a bad limit, order or cursor with a 400 naming the parameter and what is accepted", async () => {
    const { handler, two } = await threeTurns();
    const cases: Array<[string, string, RegExp]> = [
      ["limit=0", "limit", /1 to 100/],
      ["limit=abc", "limit", /1 to 100/],
      ["order=sideways", "order", /"asc" or "desc"/],
      ["after=msg_unknown", "after", /msg_unknown/],
    ];
    for (const [query, param, message] of cases) {
      const error = await specError(await handler(get(`/v1/responses/${two.id}/input_items?${query}`)), 400);
      expect(error.param).toBe(param);
      expect(error.message).toMatch(message);
    }
    expect((await handler(get("/v1/responses/resp_nowhere/input_items"))).status).toBe(404);
  });
});
