/**
 * A model chooses the HTTP answer by throwing a `ModelError` (an error with a `status`) before its
 * first part: the status, an E1 body and its headers, for JSON and SSE requests alike, and a W8 `error`
 * message on a WebSocket. After the first part the same error is `error` + `response.failed` (S8),
 * keeping what streamed. The model also sees the caller's headers (`ModelRequest.headers`).
 */

import { afterEach, describe, expect, it } from "vitest";
import { createResponsesHandler, ModelError } from "../../../src/server/index.js";
import type { Model, ModelPart, ModelRequest } from "../../../src/server/model.js";
import { until } from "../../support/until.js";
import { rawClient, startWsServer, type WsTestServer } from "../../websocket/helpers.js";
import { parseSSE, post, specError } from "./helpers.js";

const rateLimited = () =>
  new ModelError("Upstream answered 429: slow down", {
    status: 429,
    type: "too_many_requests",
    code: "rate_limit_exceeded",
    headers: { "retry-after": "7" },
  });

function throwingModel(error: () => unknown, before: ModelPart[] = []): Model {
  return async function* () {
    for (const part of before) yield part;
    throw error();
  };
}

describe("ModelError before the first part is the HTTP answer", () => {
  it("E1: a JSON request gets the error's status, E1 body and Retry-After", async () => {
    const handler = createResponsesHandler({ model: throwingModel(rateLimited) });
    const response = await handler(post("/v1/responses", { model: "m", input: "hi" }));
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await specError(response, 429)).toEqual({
      message: "Upstream answered 429: slow down",
      type: "too_many_requests",
      param: null,
      code: "rate_limit_exceeded",
    });
  });

  it("E1: a streaming request gets the same JSON answer, not an event stream", async () => {
    const handler = createResponsesHandler({ model: throwingModel(rateLimited) });
    const response = await handler(post("/v1/responses", { model: "m", input: "hi", stream: true }));
    expect(response.headers.get("retry-after")).toBe("7");
    expect((await specError(response, 429)).code).toBe("rate_limit_exceeded");
  });

  it("E1: a refusal names its field in param (400); the type defaults from the status", async () => {
    const handler = createResponsesHandler({
      model: throwingModel(
        () =>
          new ModelError("no background here", {
            status: 400,
            code: "unsupported_parameter",
            param: "background",
          }),
      ),
    });
    const error = await specError(await handler(post("/v1/responses", { model: "m", input: "hi" })), 400);
    expect(error).toMatchObject({
      type: "invalid_request",
      param: "background",
      code: "unsupported_parameter",
    });
  });

  it("a thrown plain object with a status counts too (another copy of the package), secrets redacted", async () => {
    const handler = createResponsesHandler({
      model: throwingModel(() => ({ status: 502, message: "bad gateway for Bearer sk-abcdefghijklmnop" })),
    });
    const error = await specError(await handler(post("/v1/responses", { model: "m", input: "hi" })), 502);
    expect(error.type).toBe("server_error");
    expect(error.message).not.toContain("sk-abcdefghijklmnop");
  });

  it("S8: after the first part the same error is error + response.failed, keeping the streamed text", async () => {
    const handler = createResponsesHandler({
      model: throwingModel(rateLimited, [{ type: "text", delta: "partial" }]),
    });
    const response = await handler(post("/v1/responses", { model: "m", input: "hi", stream: true }));
    expect(response.status).toBe(200);
    const events = parseSSE(await response.text());
    const error = events.find((event) => event.event === "error");
    expect(JSON.parse(error?.data ?? "{}").error).toMatchObject({
      type: "too_many_requests",
      code: "rate_limit_exceeded",
    });
    const failed = JSON.parse(events.at(-2)?.data ?? "{}");
    expect(failed.type).toBe("response.failed");
    expect(failed.response.output[0].content[0].text).toBe("partial");
    expect(events.at(-1)?.data).toBe("[DONE]");
  });

  it("a compactor that throws a ModelError answers with its status", async () => {
    const model = Object.assign(throwingModel(rateLimited), {
      compact: () => {
        throw rateLimited();
      },
    });
    const handler = createResponsesHandler({ model });
    const response = await handler(post("/v1/responses/compact", { model: "m", input: "hi" }));
    expect(response.headers.get("retry-after")).toBe("7");
    expect((await specError(response, 429)).code).toBe("rate_limit_exceeded");
  });

  it("the model is given the caller's request headers", async () => {
    let seen: ModelRequest | undefined;
    const handler = createResponsesHandler({
      model: async function* (request) {
        seen = request;
        yield { type: "text", delta: "ok" };
      },
    });
    await handler(post("/v1/responses", { model: "m", input: "hi" }, { authorization: "Bearer caller-key" }));
    expect(seen?.headers?.get("authorization")).toBe("Bearer caller-key");
  });

  it("a caller who leaves before the first part aborts the model, and nothing is answered as a stream", async () => {
    let signal: AbortSignal | undefined;
    const handler = createResponsesHandler({
      model: async function* (request) {
        signal = request.signal;
        await new Promise((resolve) => request.signal.addEventListener("abort", resolve));
        yield { type: "text", delta: "never" };
      },
    });
    const controller = new AbortController();
    const pending = handler(
      new Request("http://localhost/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", input: "hi", stream: true }),
        signal: controller.signal,
      }),
    );
    await until(() => signal !== undefined, "the model starting");
    controller.abort();
    const response = await pending;
    expect(signal?.aborted).toBe(true);
    expect(await response.text()).toBe("data: [DONE]\n\n");
  });

  it("a stream cancelled before its first read stops the model, which has already started", async () => {
    let signal: AbortSignal | undefined;
    let closed = false;
    const handler = createResponsesHandler({
      model: async function* (request) {
        signal = request.signal;
        try {
          yield { type: "text", delta: "first" };
          yield { type: "text", delta: "second" };
        } finally {
          closed = true;
        }
      },
    });
    const response = await handler(post("/v1/responses", { model: "m", input: "hi", stream: true }));
    await response.body?.cancel();
    expect(signal?.aborted).toBe(true);
    await until(() => closed, "the model's finally block");
    expect(closed).toBe(true);
  });
});

describe("ModelError on a WebSocket", () => {
  let server: WsTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("W8: before the first part it is an error message with the status; the socket stays usable", async () => {
    let turn = 0;
    let headers: Headers | undefined;
    server = await startWsServer(async function* (request) {
      headers = request.headers;
      turn += 1;
      if (turn === 1) throw rateLimited();
      yield { type: "text", delta: "ok" };
    });
    const client = await rawClient(server.url, { authorization: "Bearer upgrade-key" });
    try {
      client.send({ type: "response.create", model: "m", input: "hi" });
      const [envelope] = await client.turn();
      expect(envelope).toEqual({
        type: "error",
        status: 429,
        error: {
          type: "too_many_requests",
          code: "rate_limit_exceeded",
          message: "Upstream answered 429: slow down",
          param: null,
        },
      });
      expect(headers?.get("authorization")).toBe("Bearer upgrade-key");
      client.send({ type: "response.create", model: "m", input: "again" });
      expect((await client.turn()).at(-1)?.type).toBe("response.completed");
    } finally {
      await client.close();
    }
  });
});
