import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../../src/client/index.js";
import { BadRequestError } from "../../../src/errors.js";
import { createResponsesHandler, sequentialIds } from "../../../src/server/index.js";
import type { Model } from "../../../src/server/model.js";
import { FIXED_NOW, parseSSE, post, scriptedModel, specError } from "./helpers.js";

const hello = () => scriptedModel([{ type: "text", delta: "Hello" }]);
const handlerFor = (
  model: Model = hello(),
  options: Partial<Parameters<typeof createResponsesHandler>[0]> = {},
) => createResponsesHandler({ model, idGenerator: sequentialIds(), now: () => FIXED_NOW, ...options });

describe("routes and methods (H2)", () => {
  it("POST /v1/responses answers JSON (H3)", async () => {
    const response = await handlerFor()(post("/v1/responses", { model: "m", input: "hi" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as { object: string; status: string };
    expect(body).toMatchObject({ object: "response", status: "completed" });
  });

  it("an unknown route is a 404 spec error", async () => {
    const error = await specError(await handlerFor()(post("/v1/chat/completions", {})), 404);
    expect(error.type).toBe("not_found");
  });

  it("a wrong method is a 405 with Allow", async () => {
    const response = await handlerFor()(new Request("http://localhost/v1/responses", { method: "GET" }));
    expect(response.headers.get("allow")).toBe("POST");
    expect((await specError(response, 405)).code).toBe("method_not_allowed");
  });

  it("basePath moves the routes and a trailing slash is tolerated", async () => {
    const handler = handlerFor(hello(), { basePath: "/api/" });
    expect((await handler(post("/api/responses/", { input: "hi" }))).status).toBe(200);
    await specError(await handler(post("/v1/responses", { input: "hi" })), 404);
    expect((await handlerFor(hello(), { basePath: "" })(post("/responses", { input: "x" }))).status).toBe(
      200,
    );
  });
});

describe("request ids", () => {
  it("every answer, errors and streams included, carries a fresh x-request-id", async () => {
    const handler = handlerFor();
    const answers = [
      await handler(post("/v1/responses", { model: "m", input: "hi" })),
      await handler(post("/v1/responses", { model: "m", input: "hi", stream: true })),
      await handler(post("/v1/responses", { input: 42 })),
      await handler(post("/v1/nowhere", {})),
    ];
    const ids = answers.map((answer) => answer.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    await Promise.all(answers.map((answer) => answer.body?.cancel()));
  });

  it("the client reads it as _request_id and as error.requestId", async () => {
    const handler = handlerFor();
    const client = new OpenResponses({
      baseURL: "http://kit.test/v1",
      fetch: (input, init) => handler(new Request(input, init)),
      maxRetries: 0,
    });
    const response = await client.responses.create({ model: "m", input: "hi" });
    expect(response._request_id).toMatch(/^req_/);
    const error = await client.responses
      .create({ model: "m", input: 42 as unknown as string })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).requestId).toMatch(/^req_/);
  });
});

describe("API key (H1)", () => {
  const key = "sk-test-1234567890abcdef";
  const handler = handlerFor(hello(), { apiKey: key });

  it("accepts Authorization: Bearer and api-key", async () => {
    expect(
      (await handler(post("/v1/responses", { input: "x" }, { authorization: `Bearer ${key}` }))).status,
    ).toBe(200);
    expect(
      (await handler(post("/v1/responses", { input: "x" }, { authorization: `bearer ${key}` }))).status,
    ).toBe(200);
    expect((await handler(post("/v1/responses", { input: "x" }, { "api-key": key }))).status).toBe(200);
  });

  it("undefined, null and an empty key all mean no key check (apiKey: process.env.KEY as written)", async () => {
    for (const apiKey of [undefined, null, ""]) {
      const open = handlerFor(hello(), { apiKey });
      expect((await open(post("/v1/responses", { input: "x" }))).status).toBe(200);
    }
  });

  it("a missing key is a 401 spec error", async () => {
    const response = await handler(post("/v1/responses", { input: "x" }));
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect((await specError(response, 401)).code).toBe("missing_api_key");
  });

  it("a wrong key is a 401 that echoes neither key", async () => {
    const wrong = "sk-wrong-abcdefghijklmnop";
    const response = await handler(
      post("/v1/responses", { input: "x" }, { authorization: `Bearer ${wrong}` }),
    );
    const text = await response.clone().text();
    expect(text).not.toContain(key);
    expect(text).not.toContain(wrong);
    expect((await specError(response, 401)).code).toBe("invalid_api_key");
  });

  it("a key that differs only in length or prefix is refused", async () => {
    for (const candidate of [`${key}x`, key.slice(0, -1), `x${key.slice(1)}`]) {
      const response = await handler(post("/v1/responses", { input: "x" }, { "api-key": candidate }));
      expect(response.status).toBe(401);
    }
  });
});

describe("bad input is a spec error, never a crash (E1)", () => {
  const handler = handlerFor();

  it("malformed JSON is a 400", async () => {
    const error = await specError(await handler(post("/v1/responses", "{ not json")), 400);
    expect(error).toMatchObject({ type: "invalid_request", code: "invalid_json", param: null });
  });

  it("an empty body, a JSON array and invalid UTF-8 are 400s", async () => {
    await specError(await handler(post("/v1/responses", "")), 400);
    expect((await specError(await handler(post("/v1/responses", "[]")), 400)).code).toBe("invalid_body");
    const bytes = new Request("http://localhost/v1/responses", {
      method: "POST",
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
    });
    expect((await specError(await handler(bytes), 400)).code).toBe("invalid_json");
  });

  it("a wrong field type names the field in param", async () => {
    const error = await specError(
      await handler(post("/v1/responses", { input: "x", temperature: "hot" })),
      400,
    );
    expect(error).toMatchObject({ type: "invalid_request", param: "temperature" });
  });

  it("an unknown input item type names the path in param", async () => {
    const error = await specError(await handler(post("/v1/responses", { input: [{ type: "bogus" }] })), 400);
    expect(error.param).toBe("input[0].type");
  });

  it("X1/X2: a provider-prefixed input item is accepted back and reaches the model untouched", async () => {
    const model = hello();
    const recording = handlerFor(model);
    const trace = { type: "acme:trace", id: "tr_1", status: "completed", spans: [1, 2] };
    // `bogus:` has nothing after the colon: not a prefixed type, so it is still refused.
    const refused = await recording(post("/v1/responses", { input: [trace, { type: "bogus:" }] }));
    expect((await specError(refused, 400)).param).toBe("input[1].type");
    const accepted = await recording(post("/v1/responses", { input: [trace] }));
    expect(accepted.status).toBe(200);
    expect(model.requests.at(-1)?.input).toContainEqual(trace);
  });

  it("a nested wrong type names the full path", async () => {
    const body = { input: [{ type: "message", role: "user", content: [{ type: "input_text", text: 1 }] }] };
    expect((await specError(await handler(post("/v1/responses", body)), 400)).param).toBe(
      "input[0].content[0].text",
    );
  });

  it("compact without model is a 400 naming model (H2)", async () => {
    const error = await specError(await handler(post("/v1/responses/compact", { input: "x" })), 400);
    expect(error).toMatchObject({ param: "model", code: "missing_required_parameter" });
  });

  it("a body over maxBodyBytes is a 413, by Content-Length and by streamed size", async () => {
    const small = handlerFor(hello(), { maxBodyBytes: 100 });
    const big = { input: "x".repeat(500) };
    expect((await specError(await small(post("/v1/responses", big)), 413)).code).toBe("request_too_large");
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 1000)
          controller.close(); // bounded: the handler must stop long before this
        else controller.enqueue(new TextEncoder().encode(`"${"y".repeat(62)}",`));
      },
    });
    const request = new Request("http://localhost/v1/responses", {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await specError(await small(request), 413)).code).toBe("request_too_large");
    expect(pulled).toBeLessThan(10);
  });

  it("tool_choice naming a tool that is not offered is a 400 (P2)", async () => {
    const body = {
      input: "x",
      tools: [{ type: "function", name: "a" }],
      tool_choice: { type: "function", name: "b" },
    };
    expect((await specError(await handler(post("/v1/responses", body)), 400)).param).toBe("tool_choice");
    const allowed = {
      ...body,
      tool_choice: { type: "allowed_tools", tools: [{ type: "function", name: "zz" }] },
    };
    expect((await specError(await handler(post("/v1/responses", allowed)), 400)).code).toBe("unknown_tool");
  });

  it("background mode is refused with a 400", async () => {
    expect(
      (await specError(await handler(post("/v1/responses", { input: "x", background: true })), 400)).param,
    ).toBe("background");
  });

  it("a handler-level crash is a 500 spec error and is reported to onError", async () => {
    const errors: string[] = [];
    const crashing = handlerFor(hello(), { onError: (_error, phase) => errors.push(phase) });
    const broken = new Request("http://localhost/v1/responses", { method: "POST", body: "{}" });
    Object.defineProperty(broken, "headers", {
      get() {
        throw new Error("boom");
      },
    });
    expect((await specError(await crashing(broken), 500)).type).toBe("server_error");
    expect(errors).toEqual(["handler"]);
  });
});

describe("SSE (S1–S3) and the JSON answer", () => {
  it("S1/S2/S3: event name equals type, no id:, [DONE] last", async () => {
    const response = await handlerFor()(post("/v1/responses", { input: "hi", stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const text = await response.text();
    expect(text).not.toMatch(/^id:/m);
    const messages = parseSSE(text);
    expect(messages.at(-1)).toEqual({ event: null, data: "[DONE]" });
    const events = messages.slice(0, -1).map((message) => {
      const event = JSON.parse(message.data) as { type: string; sequence_number: number };
      expect(message.event).toBe(event.type);
      return event;
    });
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.at(-1)?.type).toBe("response.completed");
  });

  it("S5: the non-streaming answer is exactly the terminal event's snapshot", async () => {
    const parts = [
      { type: "reasoning_summary" as const, delta: "plan" },
      { type: "text" as const, delta: "Hello" },
      { type: "function_call" as const, name: "f", arguments: "{}" },
    ];
    const body = { model: "m", input: "hi", tools: [{ type: "function" as const, name: "f" }] };
    const json = await (await handlerFor(scriptedModel(parts))(post("/v1/responses", body))).json();
    const sse = await (
      await handlerFor(scriptedModel(parts))(post("/v1/responses", { ...body, stream: true }))
    ).text();
    const terminal = JSON.parse(parseSSE(sse).at(-2)?.data ?? "null") as { response: unknown };
    expect(json).toEqual(terminal.response);
  });

  it("S8: a failed non-streaming response answers 500 with the failed snapshot, readable as E1", async () => {
    const model = async function* () {
      yield { type: "text" as const, delta: "x" };
      throw Object.assign(new Error("upstream timeout"), { code: "upstream_timeout" });
    };
    const response = await handlerFor(model)(post("/v1/responses", { input: "hi" }));
    expect(response.status).toBe(500);
    const body = (await response.json()) as { status: string; error: Record<string, unknown> };
    expect(body.status).toBe("failed");
    expect(body.error).toEqual({
      code: "upstream_timeout",
      message: "upstream timeout",
      type: "model_error",
      param: null,
    });
  });

  it("S8: a model that throws mid-stream sends error then response.failed, then [DONE]", async () => {
    const model = async function* () {
      yield { type: "text" as const, delta: "x" };
      throw new Error("boom");
    };
    const text = await (await handlerFor(model)(post("/v1/responses", { input: "hi", stream: true }))).text();
    expect(
      parseSSE(text)
        .map((message) => message.event)
        .slice(-3),
    ).toEqual(["error", "response.failed", null]);
  });

  it("the SSE body is pull-based: a reader that stops reading stops the model (backpressure)", async () => {
    let yielded = 0;
    const model = function* () {
      for (let i = 0; i < 100_000; i++) {
        yielded += 1;
        yield { type: "text" as const, delta: "x" };
      }
    };
    const response = await handlerFor(model)(post("/v1/responses", { input: "hi", stream: true }));
    const reader = response.body!.getReader();
    for (let i = 0; i < 5; i++) await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(yielded).toBeGreaterThan(0);
    expect(yielded).toBeLessThan(10);
    await reader.cancel();
  });

  it("cancelling the SSE body aborts the model's signal", async () => {
    let signal: AbortSignal | undefined;
    const model = async function* (request: { signal: AbortSignal }) {
      signal = request.signal;
      for (let i = 0; i < 1000 && !request.signal.aborted; i++) {
        yield { type: "text" as const, delta: "tick " };
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const response = await handlerFor(model)(post("/v1/responses", { input: "hi", stream: true }));
    const reader = response.body!.getReader();
    let text = "";
    for (let i = 0; i < 20 && !text.includes("output_text.delta"); i++) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    expect(text).toContain("output_text.delta");
    await reader.cancel();
    expect(signal?.aborted).toBe(true);
  });
});
