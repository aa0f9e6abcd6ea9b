/**
 * The client loads the code of rarely used paths and of features a plain client does not carry with a
 * dynamic `import()` of `src/on-demand.ts` (through `core/load-on-demand.ts`). When that import itself
 * fails, as a page's chunk does offline or after a deploy replaced it, every one of those uses ends with
 * an `APIConnectionError` that names what could not be loaded and gives the loader's reason: not the
 * bundler's bare error, and not a message saying that a server which did answer could not be reached.
 * A failed load is not kept: the next use loads again.
 */

import { describe, expect, it, vi } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { Conversation } from "../../src/conversation/index.js";
import { APIConnectionError } from "../../src/errors.js";
import { jsonSchemaFormat, type StandardSchema } from "../../src/structured/index.js";
import { tool } from "../../src/tools/index.js";
import { responseResource, sseFrame, textStreamEvents } from "../client/helpers.js";
import { clientAnswering } from "../support/answering-client.js";
import { rejection } from "../support/thrown.js";

const LOADER_MESSAGE = "Failed to fetch dynamically imported module: /assets/on-demand-X1.js";

// While `broken`, importing the module fails the way a page's missing chunk does (the runner keeps the
// module once it has loaded, so only the last test lets it load).
const chunk = vi.hoisted(() => ({ broken: true }));
vi.mock("../../src/on-demand.js", async (importOriginal) => {
  if (chunk.broken) throw new Error("Failed to fetch dynamically imported module: /assets/on-demand-X1.js");
  return importOriginal();
});

const API_KEY = "sk-secret-key-123456";

/** Checks the error of a use whose code could not be loaded: its class, what it names, no secret. */
function expectLoadFailure(failure: unknown, what: string): void {
  expect(failure).toBeInstanceOf(APIConnectionError);
  const message = (failure as Error).message;
  expect(message).toContain(`the client's code for ${what}, loaded on demand, could not be loaded`);
  expect(message).toContain(LOADER_MESSAGE);
  expect(message).not.toMatch(/could not reach/);
  expect(message).not.toContain(API_KEY);
  expect((failure as Error).cause).toBeInstanceOf(Error);
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
const sse = () =>
  new Response(textStreamEvents(["Hel", "lo"]).map(sseFrame).join(""), {
    status: 200,
    headers: { "content-type": "text/event-stream" },
  });

const answers: Array<[string, () => Response]> = [
  ["an error answer", () => new Response(JSON.stringify({ error: { message: "bad key" } }), { status: 401 })],
  ["a redirect", () => new Response(null, { status: 307, headers: { location: "http://127.0.0.1:9/v1/x" } })],
  ["a 2xx body that is not JSON", () => new Response("<html>", { status: 200 })],
];

describe("the code loaded on demand cannot be loaded", () => {
  it.each(answers)(
    "%s ends the call with an APIConnectionError that says so (rule E1)",
    async (_, answer) => {
      const failure = await rejection(
        clientAnswering(answer, API_KEY).responses.create({ model: "m", input: "hi" }),
      );
      expectLoadFailure(failure, "this answer");
    },
  );

  it("a JSON body past maxBodyBytes, declared or read, ends the call with the same error", async () => {
    const long = JSON.stringify(responseResource("x".repeat(500)));
    const declared = clientAnswering(
      () => new Response(long, { headers: { "content-length": "5000" } }),
      API_KEY,
    );
    const read = clientAnswering(() => new Response(long), API_KEY);
    for (const client of [declared, read]) {
      const call = client.responses.create({ model: "m", input: "hi" }, { maxBodyBytes: 100 });
      expectLoadFailure(await rejection(call), "this answer");
    }
  });

  it("a stream request answered with JSON (rule S1) fails its stream with the same error", async () => {
    const client = clientAnswering(() => json(responseResource("hi")), API_KEY);
    expectLoadFailure(await rejection(client.responses.stream({ model: "m", input: "hi" })), "this answer");
  });

  it("asResponse() on a JSON answer and on a stream's answer rejects saying so", async () => {
    const client = clientAnswering(() => json(responseResource("hi")), API_KEY);
    expectLoadFailure(
      await rejection(client.responses.create({ model: "m", input: "hi" }).asResponse()),
      "asResponse()",
    );
    const streaming = clientAnswering(sse, API_KEY);
    expectLoadFailure(
      await rejection(streaming.responses.create({ model: "m", input: "hi", stream: true }).asResponse()),
      "asResponse()",
    );
  });

  it("retrieve, delete and inputItems.list reject naming the call, without sending it", async () => {
    const fetch = vi.fn(async () => json(responseResource("hi")));
    const client = new OpenResponses({
      baseURL: "http://127.0.0.1:9/v1",
      apiKey: API_KEY,
      fetch,
      maxRetries: 0,
    });
    expectLoadFailure(await rejection(client.responses.retrieve("resp_1")), "retrieve");
    expectLoadFailure(await rejection(client.responses.delete("resp_1")), "delete");
    expectLoadFailure(await rejection(client.responses.inputItems.list("resp_1")), "inputItems.list");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("a request that cannot be sent (a bad header, a failing apiKey function, a body JSON cannot hold) rejects saying so, without sending it", async () => {
    const fetch = vi.fn(async () => json(responseResource("hi")));
    const options = { baseURL: "http://127.0.0.1:9/v1", fetch, maxRetries: 0 };
    const client = new OpenResponses({ ...options, apiKey: API_KEY });
    const badHeader = { headers: { "x-note": "line\nbreak" } };
    expectLoadFailure(
      await rejection(client.responses.create({ model: "m", input: "hi" }, badHeader)),
      "this error",
    );
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expectLoadFailure(
      await rejection(client.responses.create({ model: "m", input: "hi", metadata: cycle as never })),
      "this error",
    );
    const failingKey = new OpenResponses({
      ...options,
      apiKey: async () => {
        throw new Error("vault down");
      },
    });
    expectLoadFailure(
      await rejection(failingKey.responses.create({ model: "m", input: "hi" })),
      "this error",
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it("parse() rejects when it reads the answer through its schema, as a call and as a stream", async () => {
    const schema: StandardSchema<{ answer: string }> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: (value) => ({ value: value as { answer: string } }),
      },
    };
    const format = jsonSchemaFormat(schema, "a", { jsonSchema: { type: "object" } });
    const resource = responseResource('{"answer":"hi"}');
    const client = clientAnswering(() => json(resource), API_KEY);
    expectLoadFailure(
      await rejection(client.responses.parse({ model: "m", input: "hi", text: { format } })),
      "parse()",
    );
    const streaming = clientAnswering(
      () =>
        new Response(textStreamEvents(['{"answer":', '"hi"}']).map(sseFrame).join(""), {
          headers: { "content-type": "text/event-stream" },
        }),
      API_KEY,
    );
    const stream = streaming.responses.parse({ model: "m", input: "hi", text: { format }, stream: true });
    expectLoadFailure(await rejection(stream.finalResponse()), "parse()");
  });

  it("runTools() fails its run saying the tool loop could not be loaded, without sending a request", async () => {
    const fetch = vi.fn(async () => sse());
    const client = new OpenResponses({
      baseURL: "http://127.0.0.1:9/v1",
      apiKey: API_KEY,
      fetch,
      maxRetries: 0,
    });
    const echo = tool({ name: "echo", parameters: { type: "object" }, execute: () => "ok" });
    expectLoadFailure(
      await rejection(client.responses.runTools({ model: "m", input: "hi", tools: [echo] })),
      "runTools()",
    );
    const run = client.responses.runTools({ model: "m", input: "hi", tools: [echo], stream: true });
    expectLoadFailure(await rejection(run.finalResponse()), "runTools()");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("a Conversation's turn and its compaction reject saying so", async () => {
    const client = clientAnswering(sse, API_KEY);
    const conversation = new Conversation(client, { model: "m" });
    expectLoadFailure(await rejection(conversation.send("hi")), "Conversation");
    expectLoadFailure(await rejection(conversation.compact()), "Conversation");
  });

  // Last: once the module has loaded, the test runner keeps it, so no later use can fail to load it.

  it("a WebSocket session fails its waiting turns and ready() saying so, and loads again on the next use", async () => {
    const socket = new OpenResponses({
      baseURL: "http://127.0.0.1:9/v1",
      apiKey: API_KEY,
    }).responses.connect();
    const first = socket.create({ model: "m", input: "one" });
    const second = socket.create({ model: "m", input: "two" });
    expectLoadFailure(await rejection(first.finalResponse()), "connect()");
    expectLoadFailure(await rejection(second.finalResponse()), "connect()");
    expectLoadFailure(await rejection(socket.ready()), "connect()");
    // Loaded now: `ready()` gets past the load and fails on the connection itself (nothing listens on port 9).
    chunk.broken = false;
    const reconnect = await rejection(socket.ready());
    expect((reconnect as Error).message).not.toMatch(/loaded on demand/);
    await socket.close();
  });
});
