/**
 * serve() answers the create route of a kit handler without building a Request or a Response (the
 * handler's plain route). Every answer must be the one the fetch handler gives: each request here goes
 * to the same handler twice, once through the plain route and once through a wrapper that only has the
 * fetch handler, and the statuses, the headers that matter and the bodies (ids and times aside) agree.
 */

import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createResponsesHandler,
  type ResponsesHandler,
  type RunningServer,
  serve,
} from "../../../src/server/index.js";
import { plainRouteOf, setPlainRoute } from "../../../src/server/kit/plain-route.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import { until } from "../../support/until.js";

interface Sent {
  path?: string;
  headers?: Record<string, string | string[]>;
  /** Sent with a content-length; an array is sent chunked, one write each. */
  body?: string | Buffer | string[];
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(server: RunningServer, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = sent.body ?? "";
    const headers: Record<string, string | string[]> = {
      "content-type": "application/json",
      ...sent.headers,
    };
    if (!Array.isArray(body)) headers["content-length"] = String(Buffer.byteLength(body));
    const req = httpRequest(
      `${server.url}${sent.path ?? "/v1/responses"}`,
      { method: "POST", headers, agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", reject);
      },
    );
    // A server that answers before reading the whole body (413) may close while this still writes.
    req.on("error", () => {});
    if (!Array.isArray(body)) req.end(body);
    else {
      for (const piece of body) req.write(piece);
      req.end();
    }
  });
}

/** Ids, times and the request id differ between two answers to the same request. */
function normalised(text: string): string {
  return text
    .replace(/\b(resp|msg|req|fc|call|rs)_[0-9a-f]{32}\b/g, "$1_ID")
    .replace(/"(created_at|completed_at)":\d+/g, '"$1":0');
}

function model(request: ModelRequest): Iterable<ModelPart> | AsyncIterable<ModelPart> {
  if (request.body.input === "throw") throw Object.assign(new Error("The model broke."), { code: "broken" });
  if (request.body.input === "headers") {
    // What a bridge forwarding the caller's credentials reads.
    const seen = ["x-custom", "authorization", "content-type"].map((name) => request.headers?.get(name));
    return [{ type: "text", delta: JSON.stringify(seen) }];
  }
  if (request.body.input === "async") {
    return (async function* () {
      yield { type: "text" as const, delta: "later" };
    })();
  }
  return [
    { type: "text", delta: "Hello " },
    { type: "text", delta: "there." },
  ];
}

describe("serve: the plain route answers as the fetch handler does", () => {
  const servers: RunningServer[] = [];
  let plain: RunningServer;
  let fetchOnly: RunningServer;
  let keyed: RunningServer;
  let keyedFetchOnly: RunningServer;
  let plainCalls = 0;
  let plainAnswers = 0;

  /** The handler, with its plain route counted. */
  function counted(handler: ResponsesHandler): ResponsesHandler {
    const route = plainRouteOf(handler)!;
    setPlainRoute(handler, (request) => {
      plainCalls++;
      const answer = route(request);
      if (answer !== null) plainAnswers++;
      return answer;
    });
    return handler;
  }

  beforeAll(async () => {
    const options = { model, maxBodyBytes: 400 };
    const handler = counted(createResponsesHandler(options));
    plain = await serve({ handler, port: 0, websocket: false });
    // The same options; the wrapper is a plain fetch handler, so serve() builds a Request for it.
    const other = createResponsesHandler(options);
    fetchOnly = await serve({ handler: (request) => other(request), port: 0, websocket: false });
    const withKey = counted(createResponsesHandler({ ...options, apiKey: "sk-test-plain" }));
    keyed = await serve({ handler: withKey, port: 0, websocket: false });
    const otherWithKey = createResponsesHandler({ ...options, apiKey: "sk-test-plain" });
    keyedFetchOnly = await serve({ handler: (request) => otherWithKey(request), port: 0, websocket: false });
    servers.push(plain, fetchOnly, keyed, keyedFetchOnly);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  async function compare(sent: Sent, pair: [RunningServer, RunningServer] = [plain, fetchOnly]) {
    const [a, b] = [await send(pair[0], sent), await send(pair[1], sent)];
    expect(a.status).toBe(b.status);
    for (const name of [
      "content-type",
      "www-authenticate",
      "cache-control",
      "x-accel-buffering",
      "connection",
    ]) {
      expect([name, a.headers[name]]).toEqual([name, b.headers[name]]);
    }
    expect(a.headers["x-request-id"]).toMatch(/^req_[0-9a-f]{32}$/);
    expect(normalised(a.body)).toBe(normalised(b.body));
    return a;
  }

  const cases: Array<[string, Sent, number]> = [
    ["a JSON turn", { body: JSON.stringify({ model: "m", input: "hi" }) }, 200],
    ["an SSE turn", { body: JSON.stringify({ model: "m", input: "hi", stream: true }) }, 200],
    ["an async model's SSE turn", { body: JSON.stringify({ input: "async", stream: true }) }, 200],
    [
      "the path with a trailing slash",
      { path: "/v1/responses/", body: JSON.stringify({ input: "hi" }) },
      200,
    ],
    [
      "the model reads the caller's headers, repeated ones joined",
      {
        body: JSON.stringify({ input: "headers" }),
        headers: { "x-custom": ["one", "two"], authorization: "Bearer sk-caller" },
      },
      200,
    ],
    ["a model that throws (a failed response, 500)", { body: JSON.stringify({ input: "throw" }) }, 500],
    ["a body that is not JSON", { body: "{not json" }, 400],
    ["an empty body", { body: "" }, 400],
    ["a JSON array", { body: "[]" }, 400],
    ["a field of the wrong type", { body: JSON.stringify({ input: 5 }) }, 400],
    ["background: true", { body: JSON.stringify({ input: "hi", background: true }) }, 400],
    ["bytes that are not UTF-8", { body: Buffer.from([0x7b, 0xff, 0x7d]) }, 400],
    ["text/plain", { body: "{}", headers: { "content-type": "text/plain" } }, 415],
    [
      "a JSON and a text Content-Type at once",
      { body: "{}", headers: { "content-type": ["application/json", "text/plain"] } },
      415,
    ],
    ["a declared length over maxBodyBytes", { body: JSON.stringify({ input: "x".repeat(500) }) }, 413],
    [
      "a chunked body that grows past maxBodyBytes",
      { body: ['{"input":"', "y".repeat(300), "z".repeat(300), '"}'] },
      413,
    ],
    ["a chunked body within the limit", { body: ['{"input":', '"hi"}'] }, 200],
    [
      "an unknown previous_response_id",
      { body: JSON.stringify({ input: "hi", previous_response_id: "resp_nope" }) },
      404,
    ],
    [
      "a query string (the fetch handler's route)",
      { path: "/v1/responses?x=1", body: JSON.stringify({ input: "hi" }) },
      200,
    ],
    [
      "a browser page on another origin (the fetch handler's route: the browser policy)",
      { body: JSON.stringify({ input: "hi" }), headers: { origin: "https://elsewhere.example" } },
      403,
    ],
    [
      "an Idempotency-Key (the fetch handler's route)",
      { body: JSON.stringify({ input: "hi" }), headers: { "idempotency-key": "k1" } },
      200,
    ],
  ];

  for (const [name, sent, status] of cases) {
    it(`${name}: ${status}`, async () => {
      const answer = await compare(sent);
      expect(answer.status).toBe(status);
    });
  }

  it("E1: the API key check answers 401 with WWW-Authenticate, and the right key gets through", async () => {
    const body = JSON.stringify({ input: "hi" });
    expect((await compare({ body }, [keyed, keyedFetchOnly])).status).toBe(401);
    expect(
      (await compare({ body, headers: { authorization: "Bearer wrong" } }, [keyed, keyedFetchOnly])).status,
    ).toBe(401);
    const ok = { body, headers: { authorization: "Bearer sk-test-plain" } };
    expect((await compare(ok, [keyed, keyedFetchOnly])).status).toBe(200);
    expect(
      (await compare({ body, headers: { "api-key": "sk-test-plain" } }, [keyed, keyedFetchOnly])).status,
    ).toBe(200);
  });

  it("a client that leaves during a JSON turn stops the model, with the reason the fetch handler gives", async () => {
    const reasons: unknown[] = [];
    let started = false;
    async function* waiting(request: ModelRequest): AsyncGenerator<ModelPart> {
      started = true;
      yield { type: "text", delta: "thinking" };
      await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
      reasons.push(request.signal.reason);
    }
    const server = await serve({
      handler: createResponsesHandler({ model: waiting }),
      port: 0,
      websocket: false,
    });
    try {
      const req = httpRequest(`${server.url}/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        agent: false,
      });
      req.on("error", () => {});
      req.end(JSON.stringify({ input: "hi" }));
      await until(() => started, "the model starting");
      req.destroy();
      await until(() => reasons.length > 0, "the model stopping");
      expect(reasons).toHaveLength(1);
      expect((reasons[0] as Error).message).toBe("The client disconnected.");
    } finally {
      await server.close();
    }
  });

  it("a whole answer (JSON, an error) says its length and is not chunked; a stream is chunked", async () => {
    const whole: Sent[] = [
      { body: JSON.stringify({ model: "m", input: "hi", instructions: "é – 日本" }) },
      { body: "{not json" },
    ];
    for (const sent of whole) {
      const answer = await send(plain, sent);
      expect(answer.headers["transfer-encoding"]).toBeUndefined();
      expect(answer.headers["content-length"]).toBe(String(Buffer.byteLength(answer.body)));
    }
    const stream = await send(plain, { body: JSON.stringify({ model: "m", input: "hi", stream: true }) });
    expect(stream.headers["content-length"]).toBeUndefined();
    expect(stream.headers["transfer-encoding"]).toBe("chunked");
  });

  it("a wrapper around a kit handler is never skipped, even one that copies the handler's properties", async () => {
    const inner = createResponsesHandler({ model });
    let seen = 0;
    const wrapper = Object.assign(async (request: Request) => {
      seen++;
      return inner(request);
    }, inner);
    const server = await serve({ handler: wrapper, port: 0, websocket: false });
    try {
      expect((await send(server, { body: JSON.stringify({ input: "hi" }) })).status).toBe(200);
      expect(seen).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("the plain route answers the create route and leaves the rest to the fetch handler", async () => {
    const before = { calls: plainCalls, answers: plainAnswers };
    await send(plain, { body: JSON.stringify({ input: "hi" }) });
    await send(plain, { path: "/v1/responses?x=1", body: JSON.stringify({ input: "hi" }) });
    await send(plain, { path: "/v1/responses/compact", body: JSON.stringify({ model: "m", input: "hi" }) });
    await send(plain, { body: JSON.stringify({ input: "hi" }), headers: { "idempotency-key": "k2" } });
    await send(plain, { body: JSON.stringify({ input: "hi" }), headers: { origin: "https://app.example" } });
    await send(plain, { body: JSON.stringify({ input: "hi" }), headers: { "sec-fetch-site": "cross-site" } });
    expect(plainCalls - before.calls).toBe(6);
    expect(plainAnswers - before.answers).toBe(1);
  });
});
