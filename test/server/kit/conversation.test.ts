import { describe, expect, it } from "vitest";
import {
  createMemoryStore,
  createResponsesHandler,
  MemoryResponseStore,
  sequentialIds,
} from "../../../src/server/index.js";
import type { ModelRequest, ResponseStore, StoredResponse } from "../../../src/server/model.js";
import type { ItemField } from "../../../src/spec/index.js";
import { FIXED_NOW, post, scriptedModel, specError } from "./helpers.js";

/** A model that answers "reply N" and records the context it was given. */
function counterModel() {
  let turn = 0;
  return scriptedModel(() => [{ type: "text", delta: `reply ${++turn}` }]);
}

const textsOf = (request: ModelRequest | undefined) =>
  (request?.input ?? []).map((item) => {
    if (item.type !== "message") return item.type;
    const content = item.content;
    if (typeof content === "string") return content;
    return content.map((part) => ("text" in part ? part.text : part.type)).join("");
  });

async function create(handler: (request: Request) => Promise<Response>, body: object) {
  const response = await handler(post("/v1/responses", body));
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; output: ItemField[]; previous_response_id: string | null };
}

describe("previous_response_id (P1)", () => {
  it("a three-turn chain gives the model previous.input + previous.output + input", async () => {
    const model = counterModel();
    const handler = createResponsesHandler({ model, idGenerator: sequentialIds(), now: () => FIXED_NOW });
    const first = await create(handler, { input: "one" });
    const second = await create(handler, { input: "two", previous_response_id: first.id });
    const third = await create(handler, {
      input: [{ type: "message", role: "user", content: "three" }],
      previous_response_id: second.id,
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(third.previous_response_id).toBe(second.id);
    expect(textsOf(model.requests[0])).toEqual(["one"]);
    expect(textsOf(model.requests[1])).toEqual(["one", "reply 1", "two"]);
    expect(textsOf(model.requests[2])).toEqual(["one", "reply 1", "two", "reply 2", "three"]);
  });

  it("item_reference resolves to an item of the chain; an unknown one is a 404 naming its path", async () => {
    const model = counterModel();
    const handler = createResponsesHandler({ model, idGenerator: sequentialIds() });
    const first = await create(handler, { input: "one" });
    const replyId = first.output[0]?.id;
    await create(handler, {
      previous_response_id: first.id,
      input: [
        { type: "item_reference", id: replyId },
        { type: "message", role: "user", content: "again" },
      ],
    });
    expect(textsOf(model.requests[1])).toEqual(["one", "reply 1", "reply 1", "again"]);
    const dangling = { previous_response_id: first.id, input: [{ type: "item_reference", id: "msg_zzz" }] };
    const error = await specError(await handler(post("/v1/responses", dangling)), 404);
    expect(error).toMatchObject({ param: "input[0].id", code: "item_not_found" });
  });

  it("an unknown id is a 404 spec error naming previous_response_id", async () => {
    const handler = createResponsesHandler({ model: counterModel() });
    const error = await specError(
      await handler(post("/v1/responses", { input: "x", previous_response_id: "resp_nope" })),
      404,
    );
    expect(error).toEqual({
      type: "not_found",
      code: "previous_response_not_found",
      param: "previous_response_id",
      message: "Previous response with id 'resp_nope' not found.",
    });
  });

  it("store: false responses are not kept, so continuing from one is a 404", async () => {
    const handler = createResponsesHandler({ model: counterModel() });
    const unstored = await create(handler, { input: "x", store: false });
    await specError(
      await handler(post("/v1/responses", { input: "y", previous_response_id: unstored.id })),
      404,
    );
  });

  it("a streamed response is stored before its terminal event leaves", async () => {
    const handler = createResponsesHandler({ model: counterModel() });
    const reader = (await handler(post("/v1/responses", { input: "x", stream: true }))).body!.getReader();
    let text = "";
    for (let i = 0; i < 50 && !text.includes("response.completed"); i++) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    const id = /"id":"(resp_[^"]+)"/.exec(text)?.[1];
    // Continue before reading [DONE]: the response must already be in the store.
    expect((await handler(post("/v1/responses", { input: "y", previous_response_id: id }))).status).toBe(200);
    await reader.cancel();
  });

  it("a pluggable async store is used for reads and writes", async () => {
    const map = new Map<string, StoredResponse>();
    const calls: string[] = [];
    const store: ResponseStore = {
      async get(id) {
        calls.push(`get ${id}`);
        return map.get(id);
      },
      async set(id, value) {
        calls.push(`set ${id}`);
        map.set(id, value);
      },
    };
    const handler = createResponsesHandler({ model: counterModel(), store, idGenerator: sequentialIds() });
    const first = await create(handler, { input: "x" });
    await create(handler, { input: "y", previous_response_id: first.id });
    expect(calls).toEqual(["set resp_1", "get resp_1", "set resp_2"]);
    expect(map.get("resp_1")?.input).toEqual([{ type: "message", role: "user", content: "x" }]);
  });

  it("a store that throws is a 500 spec error, never a crash", async () => {
    const store: ResponseStore = {
      get() {
        throw new Error("db down");
      },
      set() {},
    };
    const handler = createResponsesHandler({ model: counterModel(), store });
    const error = await specError(
      await handler(post("/v1/responses", { input: "x", previous_response_id: "r" })),
      500,
    );
    expect(error.type).toBe("server_error");
  });
});

describe("MemoryResponseStore", () => {
  const stored = (id: string) => ({ response: { id } as StoredResponse["response"], input: [] });

  it("is bounded and evicts the least recently used entry", () => {
    const store = createMemoryStore({ maxEntries: 2 });
    store.set("a", stored("a"));
    store.set("b", stored("b"));
    store.get("a"); // a is now the most recently used
    store.set("c", stored("c"));
    expect(store.size).toBe(2);
    expect(store.get("b")).toBeUndefined();
    expect(store.get("a")?.response.id).toBe("a");
    expect(store.get("c")?.response.id).toBe("c");
    store.delete("a");
    expect(store.get("a")).toBeUndefined();
  });

  it("defaults to 1000 entries and rejects a nonsense bound", () => {
    expect(new MemoryResponseStore().maxEntries).toBe(1000);
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(RangeError);
  });
});

describe("compaction (H2, W6)", () => {
  it("the generic compactor packs the context and the kit unpacks it when it comes back", async () => {
    const model = counterModel();
    const handler = createResponsesHandler({ model, idGenerator: sequentialIds(), now: () => FIXED_NOW });
    const first = await create(handler, { input: "remember 42" });
    const compactResponse = await handler(
      post("/v1/responses/compact", { model: "m", input: "and 43", previous_response_id: first.id }),
    );
    expect(compactResponse.status).toBe(200);
    const compacted = (await compactResponse.json()) as {
      object: string;
      id: string;
      created_at: number;
      output: Array<{ type: string; encrypted_content: string }>;
      usage: { input_tokens: number; total_tokens: number };
    };
    expect(compacted.object).toBe("response.compaction");
    expect(compacted.created_at).toBe(1_700_000_000);
    expect(compacted.output).toHaveLength(1);
    expect(compacted.output[0]?.type).toBe("compaction");
    expect(compacted.output[0]?.encrypted_content).not.toContain("remember");
    expect(compacted.usage.input_tokens).toBeGreaterThan(0);

    // W6: a new chain starts from the compacted window plus the newest items.
    await create(handler, {
      input: [...compacted.output, { type: "message", role: "user", content: "next" }],
    });
    expect(textsOf(model.requests.at(-1))).toEqual(["remember 42", "reply 1", "and 43", "next"]);
  });

  it("a tampered packed item is a 400 naming its path", async () => {
    const handler = createResponsesHandler({ model: counterModel() });
    const input = [{ type: "compaction", encrypted_content: "orc1:not-base64!" }];
    const error = await specError(await handler(post("/v1/responses", { input })), 400);
    expect(error).toMatchObject({ param: "input[0].encrypted_content", code: "invalid_encrypted_content" });
  });

  it("compaction items the kit did not pack reach the model untouched", async () => {
    const model = counterModel();
    const handler = createResponsesHandler({ model });
    await create(handler, { input: [{ type: "compaction", encrypted_content: "model-own-format" }] });
    expect(model.requests[0]?.input).toEqual([{ type: "compaction", encrypted_content: "model-own-format" }]);
  });

  it("model.compact is preferred over the generic compactor, and options.compact over both", async () => {
    const own = { type: "compaction" as const, id: "cmp_own", encrypted_content: "own" };
    const model = Object.assign(counterModel(), { compact: () => [own] });
    const viaModel = await (
      await createResponsesHandler({ model })(post("/v1/responses/compact", { model: "m", input: "x" }))
    ).json();
    expect((viaModel as { output: unknown[] }).output).toEqual([own]);
    const option = { type: "compaction" as const, id: "cmp_opt", encrypted_content: "opt" };
    const handler = createResponsesHandler({ model, compact: async () => [option] });
    const viaOption = await (await handler(post("/v1/responses/compact", { model: "m", input: "x" }))).json();
    expect((viaOption as { output: unknown[] }).output).toEqual([option]);
  });

  it("a compactor that throws is a 500 spec error; an unknown previous id is a 404", async () => {
    const handler = createResponsesHandler({
      model: counterModel(),
      compact: () => {
        throw new Error("no room");
      },
    });
    expect(
      (await specError(await handler(post("/v1/responses/compact", { model: "m", input: "x" })), 500))
        .message,
    ).toBe("no room");
    const unknown = post("/v1/responses/compact", { model: "m", previous_response_id: "resp_x" });
    expect((await specError(await handler(unknown), 404)).code).toBe("previous_response_not_found");
  });
});

describe("engine.run options (used by WebSocket mode, W4)", () => {
  it("a per-run store and onFinished see every finished response, store: false included", async () => {
    const engineStore = createMemoryStore();
    const local = createMemoryStore();
    const finished: string[] = [];
    const handler = createResponsesHandler({
      model: counterModel(),
      store: engineStore,
      idGenerator: sequentialIds(),
    });
    const drain = async (run: Awaited<ReturnType<typeof handler.engine.run>>) => {
      if (!run.ok) throw new Error(run.error.error.message);
      for await (const _event of run.events) {
        // drained for its side effects
      }
    };
    const options = {
      store: local,
      onFinished: (stored: StoredResponse) => void finished.push(stored.response.id),
    };
    await drain(await handler.engine.run({ input: "a", store: false }, options));
    await drain(await handler.engine.run({ input: "b" }, options));
    expect(finished).toEqual(["resp_1", "resp_2"]);
    expect(local.get("resp_1")).toBeUndefined(); // store: false is not saved, even in the per-run store
    expect(local.get("resp_2")?.response.status).toBe("completed");
    expect(engineStore.size).toBe(0);
    const missing = await handler.engine.run({ input: "c", previous_response_id: "resp_2" });
    expect(missing.ok).toBe(false);
  });
});
