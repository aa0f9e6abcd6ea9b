/**
 * A request cannot make the kit do unbounded work before the model runs (and a body that is not JSON
 * is refused with 415 unread). Each test fails on a kit without the bound (it accepts the request, or
 * takes seconds of CPU time).
 */
import { describe, expect, it } from "vitest";
import { createMemoryStore, createResponsesHandler } from "../../../src/server/index.js";
import { packItems } from "../../../src/server/kit/compactor.js";
import type { StoredResponse } from "../../../src/server/model.js";
import { withCpuTime } from "../../support/cpu-time.js";
import { post, scriptedModel, specError } from "../kit/helpers.js";

const hello = () => scriptedModel([{ type: "text", delta: "Hello" }]);

/** A pack in the kit's own format (gzip + base64) whose one message inflates to `chars` characters. */
async function bomb(chars: number): Promise<{ type: "compaction"; encrypted_content: string }> {
  const text = "a".repeat(chars);
  return {
    type: "compaction",
    encrypted_content: await packItems([{ type: "message", role: "user", content: text }]),
  };
}

describe("packed compaction items are bounded in total, not only each", () => {
  it("items that each fit but together inflate past maxContextBytes are a 400 before the model runs", async () => {
    const model = hello();
    const handler = createResponsesHandler({ model, maxContextBytes: 1024 * 1024 });
    const item = await bomb(400 * 1024);
    // Each inflates to ~400 KB, well under the per-item cap; four of them exceed the 1 MiB total.
    const request = post("/v1/responses", { input: [item, item, item, item] });
    const error = await specError(await handler(request), 400);
    expect(error.code).toBe("context_too_large");
    expect(error.param).toBe("input[2].encrypted_content");
    expect(model.requests).toHaveLength(0);
  });

  it("the same items within the bound reach the model unpacked", async () => {
    const model = hello();
    const handler = createResponsesHandler({ model, maxContextBytes: 1024 * 1024 });
    const item = await bomb(100 * 1024);
    expect((await handler(post("/v1/responses", { input: [item, item] }))).status).toBe(200);
    expect(model.requests[0]?.input).toHaveLength(2);
  });

  it("the default bound holds a small request that inflates to more than 64 MiB", async () => {
    const model = hello();
    const handler = createResponsesHandler({ model });
    const item = await bomb(30 * 1024 * 1024);
    const body = JSON.stringify({ input: [item, item, item] });
    expect(body.length).toBeLessThan(1024 * 1024);
    const error = await specError(await handler(post("/v1/responses", body)), 400);
    expect(error.code).toBe("context_too_large");
    expect(model.requests).toHaveLength(0);
  }, 20_000);
});

describe("item_reference amplification", () => {
  const big = "b".repeat(1024 * 1024);

  async function storeWithBigItem(): Promise<ReturnType<typeof createMemoryStore>> {
    const store = createMemoryStore();
    const stored: StoredResponse = {
      input: [{ type: "message", id: "msg_big", role: "user", content: big }],
      response: {
        id: "resp_prev",
        object: "response",
        created_at: 0,
        status: "completed",
        model: "m",
        output: [],
      } as unknown as StoredResponse["response"],
    };
    store.set("resp_prev", stored);
    return store;
  }

  it("references count as the size of what they name: 100 × 1 MB is refused with a 400", async () => {
    const model = hello();
    const store = await storeWithBigItem();
    const handler = createResponsesHandler({ model, store });
    const input = Array.from({ length: 100 }, () => ({ type: "item_reference", id: "msg_big" }));
    const { value: response, cpuMs } = await withCpuTime(() =>
      handler(post("/v1/responses", { previous_response_id: "resp_prev", input })),
    );
    const error = await specError(response, 400);
    expect(error.code).toBe("context_too_large");
    expect(error.param).toMatch(/^input\[\d+\]$/);
    expect(model.requests).toHaveLength(0);
    expect(cpuMs).toBeLessThan(5000);
  });

  it("the store sizes an item repeated in a context once, not once per repetition", () => {
    let serialised = 0;
    const item = {
      type: "message",
      id: "msg_x",
      role: "user",
      content: "x".repeat(1000),
      toJSON() {
        serialised++;
        return { type: this.type, id: this.id, role: this.role, content: this.content };
      },
    };
    const store = createMemoryStore({ maxBytes: Number.POSITIVE_INFINITY });
    const input = Array.from({ length: 500 }, () => item) as unknown as StoredResponse["input"];
    const response = { id: "r", object: "response", output: [] } as unknown as StoredResponse["response"];
    store.set("r", { input, response });
    store.set("r2", { input, response: { ...response, id: "r2" } });
    expect(store.get("r")).toBeDefined();
    expect(serialised).toBe(1);
    // Still counted as 500 repetitions: the bound on bytes is not weakened.
    expect(store.bytes).toBeGreaterThan(2 * 500 * 1000);
  });

  it("many references within the bound are answered, and fast", async () => {
    const model = hello();
    const store = await storeWithBigItem();
    const handler = createResponsesHandler({ model, store, maxContextBytes: 512 * 1024 * 1024 });
    const input = Array.from({ length: 300 }, () => ({ type: "item_reference", id: "msg_big" }));
    const { value: response, cpuMs } = await withCpuTime(() =>
      handler(post("/v1/responses", { previous_response_id: "resp_prev", input })),
    );
    expect(response.status).toBe(200);
    expect(model.requests[0]?.input).toHaveLength(301);
    expect(cpuMs).toBeLessThan(3000);
  }, 20_000);
});

describe("the duplicate tool-name check is linear", () => {
  const tools = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ type: "function", name: `tool_${i}`, parameters: {} }));

  it("150k distinct tools are checked in well under a second of that check", async () => {
    const handler = createResponsesHandler({ model: hello() });
    const list = tools(150_000);
    list.push({ type: "function", name: "tool_149999", parameters: {} });
    const { value: response, cpuMs } = await withCpuTime(() =>
      handler(post("/v1/responses", { input: "hi", tools: list })),
    );
    const error = await specError(response, 400);
    expect(error).toMatchObject({ code: "duplicate_tool", param: "tools" });
    expect(cpuMs).toBeLessThan(6000);
  }, 20_000);
});

describe("only JSON bodies are read (415 otherwise)", () => {
  const body = JSON.stringify({ input: "hi" });
  const send = (contentType: string | null) => {
    const model = hello();
    const handler = createResponsesHandler({ model });
    const headers: Record<string, string> = contentType === null ? {} : { "content-type": contentType };
    const request = new Request("http://localhost/v1/responses", { method: "POST", headers, body });
    if (contentType === null) request.headers.delete("content-type");
    return { model, answer: handler(request) };
  };

  it.each([
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonx",
  ])("%s is a 415 E1 error and the model does not run", async (type) => {
    const { model, answer } = send(type);
    const error = await specError(await answer, 415);
    expect(error).toMatchObject({ type: "invalid_request", code: "unsupported_media_type" });
    expect(model.requests).toHaveLength(0);
  });

  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    "application/vnd.api+json",
  ])("%s is read", async (type) => {
    const { answer } = send(type);
    expect((await answer).status).toBe(200);
  });

  it("a body without Content-Type is read (non-browser tools omit it)", async () => {
    const { answer } = send(null);
    expect((await answer).status).toBe(200);
  });
});

describe("a string input is bounded too", () => {
  it("P1: a first turn's string input past maxContextBytes is a 400 on `input` before the model runs; at the bound it runs", async () => {
    const model = hello();
    const handler = createResponsesHandler({ model, maxContextBytes: 1000 });
    const error = await specError(await handler(post("/v1/responses", { input: "a".repeat(1001) })), 400);
    expect(error.code).toBe("context_too_large");
    expect(error.param).toBe("input");
    expect(model.requests).toHaveLength(0);
    expect((await handler(post("/v1/responses", { input: "a".repeat(1000) }))).status).toBe(200);
    expect(model.requests[0]?.input).toEqual([{ type: "message", role: "user", content: "a".repeat(1000) }]);
  });

  it("P1: after a previous response the string input counts on top of its context", async () => {
    const model = hello();
    const handler = createResponsesHandler({ model, maxContextBytes: 1000 });
    const first = await handler(post("/v1/responses", { input: "a".repeat(500) }));
    const { id } = (await first.json()) as { id: string };
    const next = post("/v1/responses", { previous_response_id: id, input: "b".repeat(500) });
    const error = await specError(await handler(next), 400);
    expect(error.code).toBe("context_too_large");
    expect(error.param).toBe("input");
    expect(model.requests).toHaveLength(1);
  });
});
