/**
 * The kit honours `Idempotency-Key`, so the project's client retrying a POST whose
 * connection was reset after the body was read never runs the model twice.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { OpenResponses } from "../../../src/client/index.js";
import { createMemoryStore, createResponsesHandler } from "../../../src/server/index.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import { until } from "../../support/until.js";
import { post, scriptedModel, specError } from "../kit/helpers.js";

const FAST = { initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50 };

/** Reads a Node request into a web Request for the handler. */
async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: Buffer.concat(chunks),
  });
}

/**
 * A server that runs the kit for every request but resets the connection instead of answering the first
 * `resets` times: the model ran, the client never heard.
 */
async function resettingServer(handler: (request: Request) => Promise<Response>, resets: number) {
  let seen = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const origin = `http://${req.headers.host}`;
      const response = await handler(await toRequest(req, origin));
      const body = Buffer.from(await response.arrayBuffer());
      if (seen++ < resets) {
        req.socket.resetAndDestroy();
        return;
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      res.writeHead(response.status, headers).end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    attempts: () => seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup) await step();
  cleanup = [];
});

describe("a retried POST runs the model once", () => {
  it("the client's retries after two resets get the first attempt's response; one run, one stored", async () => {
    const model = scriptedModel([{ type: "text", delta: "once" }]);
    const store = createMemoryStore();
    const server = await resettingServer(createResponsesHandler({ model, store, apiKey: "k" }), 2);
    cleanup.push(server.close);
    const client = new OpenResponses({
      baseURL: server.url,
      apiKey: "k",
      maxRetries: 3,
      retryTiming: FAST,
      logLevel: "off",
    });
    const response = await client.responses.create({ model: "m", input: "hi" });
    expect(server.attempts()).toBe(3);
    expect(model.requests).toHaveLength(1);
    expect(store.size).toBe(1);
    expect(store.get(response.id)).toBeDefined();
    expect(response.output_text ?? "").toBe("once");
  });

  it("the same holds for a streamed response: the retry replays the first stream", async () => {
    const model = scriptedModel([
      { type: "text", delta: "one " },
      { type: "text", delta: "stream" },
    ]);
    const store = createMemoryStore();
    const server = await resettingServer(createResponsesHandler({ model, store }), 1);
    cleanup.push(server.close);
    const client = new OpenResponses({
      baseURL: server.url,
      apiKey: null,
      maxRetries: 2,
      retryTiming: FAST,
      logLevel: "off",
    });
    const stream = await client.responses.stream({ model: "m", input: "hi" });
    const final = await stream.finalResponse();
    expect(model.requests).toHaveLength(1);
    expect(store.size).toBe(1);
    expect(store.get(final.id)?.response.status).toBe("completed");
  });
});

describe("Idempotency-Key rules", () => {
  const key = { "idempotency-key": "key-1" };

  it("a repeat gets the same answer, marked as replayed; without a key every request runs", async () => {
    const model = scriptedModel([{ type: "text", delta: "x" }]);
    const handler = createResponsesHandler({ model });
    const first = await handler(post("/v1/responses", { input: "hi" }, key));
    const second = await handler(post("/v1/responses", { input: "hi" }, key));
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.text()).toBe(await first.text());
    expect(model.requests).toHaveLength(1);
    await handler(post("/v1/responses", { input: "hi" }));
    await handler(post("/v1/responses", { input: "hi" }));
    expect(model.requests).toHaveLength(3);
  });

  it("the same key with another body is a 422; from another credential it is another request", async () => {
    const model = scriptedModel([{ type: "text", delta: "x" }]);
    const handler = createResponsesHandler({ model });
    await handler(post("/v1/responses", { input: "hi" }, { ...key, authorization: "Bearer a" }));
    const other = await handler(
      post("/v1/responses", { input: "bye" }, { ...key, authorization: "Bearer a" }),
    );
    expect((await specError(other, 422)).code).toBe("idempotency_key_reused");
    const elsewhere = await handler(
      post("/v1/responses", { input: "hi" }, { ...key, authorization: "Bearer b" }),
    );
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get("idempotent-replayed")).toBeNull();
    expect(model.requests).toHaveLength(2);
  });

  it("a repeat while the first attempt runs is a 409; after it, the answer is replayed", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let runs = 0;
    const model = async function* (_request: ModelRequest): AsyncGenerator<ModelPart> {
      runs++;
      await gate;
      yield { type: "text", delta: "late" };
    };
    const handler = createResponsesHandler({ model });
    const first = handler(post("/v1/responses", { input: "hi" }, key));
    await until(() => runs === 1, "the first request reaching the model");
    const during = await handler(post("/v1/responses", { input: "hi" }, key));
    expect((await specError(during, 409)).code).toBe("idempotency_request_in_progress");
    release();
    expect((await first).status).toBe(200);
    const after = await handler(post("/v1/responses", { input: "hi" }, key));
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(runs).toBe(1);
  });

  it("the window: past windowMs the key is forgotten and runs again", async () => {
    let clock = 1_000_000;
    const model = scriptedModel([{ type: "text", delta: "x" }]);
    const handler = createResponsesHandler({ model, now: () => clock, idempotency: { windowMs: 60_000 } });
    await handler(post("/v1/responses", { input: "hi" }, key));
    clock += 59_000;
    await handler(post("/v1/responses", { input: "hi" }, key));
    expect(model.requests).toHaveLength(1);
    clock += 2_000;
    await handler(post("/v1/responses", { input: "hi" }, key));
    expect(model.requests).toHaveLength(2);
  });

  it("an answer before the model (a 400) does not take the key; a stream the client left is forgotten", async () => {
    let runs = 0;
    // The first run waits until it is stopped; later ones answer at once.
    const model = async function* (request: ModelRequest): AsyncGenerator<ModelPart> {
      runs++;
      yield { type: "text", delta: "a" };
      if (runs === 1) {
        await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
        return;
      }
      yield { type: "text", delta: "b" };
    };
    const handler = createResponsesHandler({ model });
    const bad = await handler(post("/v1/responses", { input: 42 }, key));
    expect(bad.status).toBe(400);
    const stream = await handler(post("/v1/responses", { input: "hi", stream: true }, key));
    const reader = stream.body!.getReader();
    let seen = "";
    for (let i = 0; i < 20 && !seen.includes("output_text.delta"); i++) {
      seen += new TextDecoder().decode((await reader.read()).value);
    }
    await reader.cancel();
    expect(runs).toBe(1);
    const again = await handler(post("/v1/responses", { input: "hi", stream: true }, key));
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    await again.text();
    const replay = await handler(post("/v1/responses", { input: "hi", stream: true }, key));
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("content-type")).toContain("text/event-stream");
    expect(await replay.text()).toContain("response.completed");
    expect(runs).toBe(2);
  });

  it("idempotency: false turns it off; an over-long key is a 400", async () => {
    const model = scriptedModel([{ type: "text", delta: "x" }]);
    const off = createResponsesHandler({ model, idempotency: false });
    await off(post("/v1/responses", { input: "hi" }, key));
    await off(post("/v1/responses", { input: "hi" }, key));
    expect(model.requests).toHaveLength(2);
    const on = createResponsesHandler({ model });
    const long = await on(post("/v1/responses", { input: "hi" }, { "idempotency-key": "k".repeat(256) }));
    expect((await specError(long, 400)).code).toBe("invalid_idempotency_key");
  });
});
