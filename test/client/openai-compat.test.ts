import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Conversation } from "../../src/conversation/index.js";
import { OpenResponsesError } from "../../src/errors.js";
import { DEFAULT_BASE_URL, OpenResponses } from "../../src/index.js";
import { createResponsesHandler, type RunningServer, serve } from "../../src/server/index.js";
import { mockModel } from "../../src/server/mock/index.js";
import { tool } from "../../src/tools/index.js";
import { responseResource, sendJSON, sseFrame, startServer, startSSE, textStreamEvents } from "./helpers.js";

// What a user coming from the `openai` SDK relies on: output_text on every response, request_id,
// asResponse() with an unread body, fetchOptions, and the OPENAI_* environment fallbacks.

const ENV = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENRESPONSES_API_KEY", "OPENRESPONSES_BASE_URL"] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
function clearEnv(): void {
  for (const name of ENV) delete process.env[name];
}

describe("output_text on every response the client returns", () => {
  let kit: RunningServer;
  let client: OpenResponses;
  beforeAll(async () => {
    kit = await serve({
      handler: createResponsesHandler({ model: mockModel() }),
      port: 0,
      host: "127.0.0.1",
      websocket: true,
    });
    client = new OpenResponses({ baseURL: `${kit.url}/v1`, apiKey: null, maxRetries: 0, logLevel: "off" });
  });
  afterAll(() => kit.close());

  it("create(), stream().finalResponse() and create({stream:true}).finalResponse()", async () => {
    const created = await client.responses.create({ model: "mock", input: "hello" });
    expect(created.output_text.length).toBeGreaterThan(0);
    const streamed = await client.responses.stream({ model: "mock", input: "hello" }).finalResponse();
    expect(streamed.output_text).toBe(created.output_text);
    const viaCreate = await (
      await client.responses.create({ model: "mock", input: "hello", stream: true })
    ).finalResponse();
    expect(viaCreate.output_text).toBe(created.output_text);
    // Still non-enumerable: the JSON is the server's.
    expect(Object.keys(streamed)).not.toContain("output_text");
  });

  it("a WebSocket turn, a Conversation turn and its lastResponse, a runTools result", async () => {
    const expected = (await client.responses.create({ model: "mock", input: "hello" })).output_text;
    const socket = client.responses.connect();
    try {
      const turn = await socket.create({ model: "mock", input: "hello" }).finalResponse();
      expect(turn.output_text).toBe(expected);
    } finally {
      await socket.close();
    }
    const conversation = new Conversation(client, { model: "mock" });
    const sent = await conversation.send("hello");
    expect(sent.output_text).toBe(expected);
    expect(conversation.lastResponse?.output_text).toBe(expected);

    const add = tool({
      name: "add",
      parameters: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } } },
      execute: ({ a, b }: { a: number; b: number }) => a + b,
    });
    const run = await client.responses.runTools({ model: "mock", input: "What is 2 + 3?", tools: [add] });
    expect(run.response.output_text).toBe(run.outputText);
    expect(run.responses.every((r) => typeof r.output_text === "string")).toBe(true);
  });
});

describe("withResponse(), asResponse(), fetchOptions", () => {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  let origin: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const server = await startServer((req, res) => {
      const body = req.body ? (JSON.parse(req.body) as { stream?: boolean }) : {};
      if (body.stream) {
        startSSE(res, { "x-request-id": "req_s" });
        for (const event of textStreamEvents(["Hel", "lo"])) res.write(sseFrame(event));
        res.end("data: [DONE]\n\n");
        return;
      }
      sendJSON(res, 200, responseResource("Hello"), { "x-request-id": "req_j" });
    });
    origin = server.origin;
    close = server.close;
  });
  afterAll(() => close());
  const client = (extra: Partial<ConstructorParameters<typeof OpenResponses>[0]> = {}) =>
    new OpenResponses({
      baseURL: origin,
      apiKey: "key-compat-1",
      logLevel: "off",
      fetch: (url, init) => {
        seen.push({ url, init });
        return fetch(url, init);
      },
      ...extra,
    });

  it("withResponse() carries request_id as well as requestId, for JSON and for streams", async () => {
    const json = await client().responses.create({ model: "m" }).withResponse();
    expect(json.request_id).toBe("req_j");
    expect(json.requestId).toBe("req_j");
    const stream = await client().responses.stream({ model: "m" }).withResponse();
    expect(stream.request_id).toBe("req_s");
    const created = await client().responses.create({ model: "m", stream: true }).withResponse();
    expect(created.request_id).toBe("req_s");
    expect(await created.data.finalText()).toBe("Hello");
  });

  it("asResponse() gives a Response whose body is still unread (JSON and stream)", async () => {
    const response = await client().responses.create({ model: "m" }).asResponse();
    expect(response.bodyUsed).toBe(false);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req_j");
    expect(response.url).toMatch(/\/v1\/responses$/);
    const json = (await response.json()) as { id: string };
    expect(json.id).toBe("resp_1");

    const pending = client().responses.create({ model: "m", stream: true });
    const raw = await pending.asResponse();
    expect(await pending.asResponse()).toBe(raw);
    expect(raw.bodyUsed).toBe(false);
    expect(raw.url).toMatch(/\/v1\/responses$/);
    const text = await raw.text();
    expect(text).toContain("response.output_text.delta");
    expect(text).toContain("data: [DONE]");
  });

  it("fetchOptions of the client and of the request reach fetch, the request's winning", async () => {
    seen.length = 0;
    const c = client({ fetchOptions: { cache: "no-store", keepalive: false, credentials: "omit" } });
    await c.responses.create({ model: "m" }, { fetchOptions: { credentials: "include" } });
    await c.responses.stream({ model: "m" }, { fetchOptions: { mode: "cors" } }).finalResponse();
    expect(seen).toHaveLength(2);
    expect(seen[0]!.init).toMatchObject({ cache: "no-store", keepalive: false, credentials: "include" });
    expect(seen[1]!.init).toMatchObject({ cache: "no-store", credentials: "omit", mode: "cors" });
    // The client's own fields cannot be replaced by fetchOptions.
    expect(seen[0]!.init.method).toBe("POST");
    expect(seen[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it("fetchOptions may carry a runtime's own field (undici's dispatcher) unchanged", async () => {
    seen.length = 0;
    const dispatcher = { marker: "custom" };
    await client({
      fetch: (url, init) => {
        seen.push({ url, init });
        return fetch(url, { ...init, dispatcher: undefined } as RequestInit);
      },
    }).responses.create({ model: "m" }, { fetchOptions: { dispatcher } });
    expect((seen[0]!.init as { dispatcher?: unknown }).dispatcher).toBe(dispatcher);
  });
});

describe("credentials: OPENAI_API_KEY / OPENAI_BASE_URL as fallbacks for OpenAI only", () => {
  it("with only OPENAI_API_KEY and the default base URL, the key is sent to OpenAI", async () => {
    clearEnv();
    process.env.OPENAI_API_KEY = "sk-openai-env-fallback-1";
    const calls: RequestInit[] = [];
    const client = new OpenResponses({
      fetch: async (_url, init) => {
        calls.push(init);
        return new Response(JSON.stringify(responseResource("hi")), {
          headers: { "content-type": "application/json" },
        });
      },
    });
    expect(client.baseURL).toBe(DEFAULT_BASE_URL);
    await client.responses.create({ model: "m" });
    expect(new Headers(calls[0]!.headers).get("authorization")).toBe("Bearer sk-openai-env-fallback-1");
  });

  it("OPENAI_API_KEY is never sent to another server", async () => {
    clearEnv();
    process.env.OPENAI_API_KEY = "sk-openai-env-other-host-1";
    const server = await startServer((_req, res) => sendJSON(res, 200, responseResource("hi")));
    try {
      await new OpenResponses({ baseURL: server.origin }).responses.create({ model: "m" });
      process.env.OPENRESPONSES_BASE_URL = server.origin;
      await new OpenResponses().responses.create({ model: "m" });
      expect(server.requests).toHaveLength(2);
      for (const request of server.requests) {
        expect(request.headers.authorization).toBeUndefined();
        expect(JSON.stringify(request.headers)).not.toContain("sk-openai-env-other-host-1");
      }
    } finally {
      await server.close();
    }
  });

  it("OPENAI_BASE_URL is the fallback base, and OPENAI_API_KEY goes with it (the openai SDK's pair)", async () => {
    clearEnv();
    const server = await startServer((_req, res) => sendJSON(res, 200, responseResource("hi")));
    try {
      process.env.OPENAI_BASE_URL = `${server.origin}/v1`;
      process.env.OPENAI_API_KEY = "sk-openai-pair-1";
      const client = new OpenResponses();
      expect(client.baseURL).toBe(`${server.origin}/v1`);
      await client.responses.create({ model: "m" });
      expect(server.requests[0]!.headers.authorization).toBe("Bearer sk-openai-pair-1");
      // OPENRESPONSES_BASE_URL wins over it, and then the OpenAI key stays home.
      process.env.OPENRESPONSES_BASE_URL = `${server.origin}/other`;
      await new OpenResponses().responses.create({ model: "m" });
      expect(server.requests[1]!.url).toBe("/other/responses");
      expect(server.requests[1]!.headers.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("no key at all for OpenAI fails at once, with a message that says what to set", () => {
    clearEnv();
    expect(() => new OpenResponses()).toThrow(OpenResponsesError);
    expect(() => new OpenResponses()).toThrow(/OPENAI_API_KEY/);
    expect(() => new OpenResponses({ baseURL: "https://api.openai.com/v1", apiKey: null })).toThrow(/apiKey/);
    // An explicit Authorization header is a credential too; other servers need none.
    expect(
      () => new OpenResponses({ defaultHeaders: { Authorization: "Bearer sk-header-cred-1" } }),
    ).not.toThrow();
    expect(() => new OpenResponses({ baseURL: "http://127.0.0.1:9" })).not.toThrow();
  });

  it("an explicit key and OPENRESPONSES_API_KEY win over OPENAI_API_KEY", async () => {
    clearEnv();
    process.env.OPENAI_API_KEY = "sk-openai-loses-1";
    process.env.OPENRESPONSES_API_KEY = "sk-own-wins-1";
    const headers: Array<string | null> = [];
    const fetchStub = async (_url: string, init: RequestInit) => {
      headers.push(new Headers(init.headers).get("authorization"));
      return new Response(JSON.stringify(responseResource("hi")), {
        headers: { "content-type": "application/json" },
      });
    };
    await new OpenResponses({ fetch: fetchStub }).responses.create({ model: "m" });
    await new OpenResponses({ fetch: fetchStub, apiKey: "sk-option-wins-1" }).responses.create({
      model: "m",
    });
    expect(headers).toEqual(["Bearer sk-own-wins-1", "Bearer sk-option-wins-1"]);
  });
});
