/**
 * The bridges' shared upstream plumbing against a fake provider on loopback: the credential (configured
 * or the caller's, forwarded on request), the caller's abort reaching the upstream, the timeout, and
 * each kind of upstream failure as the `ModelError` the kit answers with (E1/E2), never quoting a key.
 */

import { afterEach, describe, expect, it } from "vitest";
import { refuse, refuseValue } from "../../../src/server/bridges/refuse.js";
import { readJSONEvents } from "../../../src/server/bridges/sse-reader.js";
import {
  bearerAuth,
  joinURL,
  postUpstream,
  type UpstreamOptions,
  type UpstreamTarget,
} from "../../../src/server/bridges/upstream.js";
import { ModelError } from "../../../src/server/kit/model-error.js";
import {
  type FakeReply,
  type FakeUpstream,
  sseData,
  startFakeUpstream,
  waitForRequests,
} from "../../support/fake-upstream.js";
import { rejection } from "../../support/thrown.js";

const target: UpstreamTarget = { name: "the test upstream", authHeaders: bearerAuth };
const KEY = "sk-upstreamsecret1234567890";

let fake: FakeUpstream | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function upstream(reply: FakeReply | ((index: number) => FakeReply)): Promise<FakeUpstream> {
  fake = await startFakeUpstream((_request, index) => (typeof reply === "function" ? reply(index) : reply));
  return fake;
}

function call(options: UpstreamOptions, init: { signal?: AbortSignal; headers?: Headers } = {}) {
  return postUpstream(
    joinURL(options.baseURL ?? "", "/chat/completions"),
    { hello: "upstream" },
    options,
    target,
    {
      signal: init.signal ?? new AbortController().signal,
      ...(init.headers ? { headers: init.headers } : {}),
    },
  );
}

async function modelErrorOf(promise: Promise<unknown>): Promise<ModelError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe("postUpstream", () => {
  it("H1: posts JSON with the configured key as a Bearer token and the extra headers", async () => {
    const server = await upstream({ kind: "sse", chunks: [sseData({ ok: true })] });
    const result = await call({ baseURL: `${server.url}/v1/`, apiKey: KEY, headers: { "x-org": "acme" } });
    result.close();
    const [request] = server.requests;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers["x-org"]).toBe("acme");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body).toEqual({ hello: "upstream" });
  });

  it("no key configured: no Authorization header", async () => {
    const server = await upstream({ kind: "sse", chunks: [] });
    (await call({ baseURL: server.url, apiKey: null })).close();
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("forwardAuthorization sends the caller's key (only when on), else the configured one", async () => {
    const server = await upstream({ kind: "sse", chunks: [] });
    const caller = new Headers({ authorization: "Bearer caller-own-key" });
    (await call({ baseURL: server.url, apiKey: KEY }, { headers: caller })).close();
    (
      await call({ baseURL: server.url, apiKey: KEY, forwardAuthorization: true }, { headers: caller })
    ).close();
    (
      await call({ baseURL: server.url, apiKey: KEY, forwardAuthorization: true }, { headers: new Headers() })
    ).close();
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${KEY}`,
      "Bearer caller-own-key",
      `Bearer ${KEY}`,
    ]);
  });

  it("the caller's abort aborts the upstream request, while waiting and while streaming", async () => {
    const server = await upstream((index) =>
      index === 0 ? { kind: "hang" } : { kind: "sse", chunks: [sseData({ n: 1 })], after: "hold" },
    );
    const waiting = new AbortController();
    const pending = call({ baseURL: server.url }, { signal: waiting.signal });
    await waitForRequests(server, 1);
    waiting.abort(new Error("caller left"));
    await expect(pending).rejects.toThrow("caller left");
    await server.waitForAborts(1);

    const streaming = new AbortController();
    const open = await call({ baseURL: server.url }, { signal: streaming.signal });
    const events = readJSONEvents(open.response.body, { upstream: target.name, signal: streaming.signal });
    expect((await events.next()).value).toEqual({ event: undefined, data: { n: 1 } });
    streaming.abort(new Error("caller left"));
    await expect(events.next()).rejects.toThrow("caller left");
    await server.waitForAborts(2);
  });

  it("an upstream that does not answer in time is a 504 upstream_timeout, and the request is aborted", async () => {
    const server = await upstream({ kind: "hang" });
    const error = await modelErrorOf(call({ baseURL: server.url, timeoutMs: 50 }));
    expect(error).toMatchObject({ status: 504, type: "server_error", code: "upstream_timeout" });
    await server.waitForAborts(1);
  });

  it("an unreachable upstream is a 502 upstream_unreachable", async () => {
    const server = await upstream({ kind: "hang" });
    const url = server.url;
    await server.close();
    fake = undefined;
    const error = await modelErrorOf(call({ baseURL: url, apiKey: KEY }));
    expect(error).toMatchObject({ status: 502, type: "server_error", code: "upstream_unreachable" });
  });

  it("E2: 401/403 stay auth errors with the upstream's message; the key never appears", async () => {
    for (const status of [401, 403]) {
      const server = await upstream({
        kind: "json",
        status,
        body: {
          error: {
            message: `Incorrect API key provided: ${KEY}`,
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        },
      });
      const error = await modelErrorOf(call({ baseURL: server.url, apiKey: KEY }));
      expect(error.status).toBe(status);
      expect(error.code).toBe("invalid_api_key");
      expect(error.message).toContain("Incorrect API key provided");
      expect(error.message).not.toContain(KEY);
      expect(error.message).not.toContain("upstreamsecret");
      await server.close();
      fake = undefined;
    }
  });

  it("a forwarded caller key is redacted from messages too, though it looks like no known key", async () => {
    const server = await upstream({
      kind: "json",
      status: 401,
      body: { error: { message: "bad key plainword99" } },
    });
    const error = await modelErrorOf(
      call(
        { baseURL: server.url, forwardAuthorization: true },
        { headers: new Headers({ authorization: "Bearer plainword99" }) },
      ),
    );
    expect(error.message).not.toContain("plainword99");
  });

  it("E2: 429 stays 429 and passes Retry-After on", async () => {
    const server = await upstream({
      kind: "json",
      status: 429,
      body: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
      headers: { "retry-after": "12" },
    });
    const error = await modelErrorOf(call({ baseURL: server.url }));
    expect(error).toMatchObject({ status: 429, type: "too_many_requests", code: "rate_limit_exceeded" });
    expect(error.headers).toEqual({ "retry-after": "12" });
  });

  it("E2: 400 stays 400 with the upstream's message; its param (an upstream field) is not passed on", async () => {
    const server = await upstream({
      kind: "json",
      status: 400,
      body: { error: { message: "messages[0].role is wrong", param: "messages", code: null } },
    });
    const error = await modelErrorOf(call({ baseURL: server.url }));
    expect(error).toMatchObject({ status: 400, type: "invalid_request", param: null });
    expect(error.message).toContain("messages[0].role is wrong");
  });

  it("E2: 5xx, a proxy's HTML page and a redirect are 502 server_error", async () => {
    const replies: FakeReply[] = [
      { kind: "json", status: 500, body: { detail: "engine crashed" } },
      { kind: "text", status: 503, body: "<html><body><h1>503 Service Unavailable</h1></body></html>" },
      { kind: "text", status: 307, body: "" },
    ];
    const server = await upstream((index) => replies[index] as FakeReply);
    const messages: string[] = [];
    for (let i = 0; i < replies.length; i++) {
      const error = await modelErrorOf(call({ baseURL: server.url }));
      expect(error).toMatchObject({ status: 502, type: "server_error", code: "upstream_error" });
      messages.push(error.message);
    }
    expect(messages[0]).toContain("engine crashed");
    expect(messages[1]).toContain("503 Service Unavailable");
    expect(messages[1]).not.toContain("<");
    expect(messages[2]).toContain("redirect");
  });
});

describe("readJSONEvents", () => {
  async function collect(chunks: string[], after?: "end" | "cut") {
    const server = await upstream({ kind: "sse", chunks, ...(after ? { after } : {}) });
    const signal = new AbortController().signal;
    const open = await call({ baseURL: server.url });
    const out: unknown[] = [];
    for await (const event of readJSONEvents(open.response.body, { upstream: target.name, signal }))
      out.push(event.data);
    return out;
  }

  it("data-only framing, keep-alive comments, CRLF, and [DONE] ends the stream", async () => {
    expect(
      await collect([
        ": keep-alive\n\n",
        'data: {"a":1}\r\n\r\n',
        'data: {"b"',
        ":2}\n\n",
        "data: [DONE]\n\n",
        'data: {"c":3}\n\n',
      ]),
    ).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("a stream without [DONE], and a last event without its blank line, still end cleanly", async () => {
    expect(await collect(['data: {"a":1}\n\n', 'data: {"b":2}'])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("bad JSON is a 502 ModelError", async () => {
    const error = await modelErrorOf(collect(["data: {nope\n\n"]));
    expect(error).toMatchObject({ status: 502, code: "upstream_error" });
  });

  it("a stream cut mid-way is a 502 ModelError saying it broke off", async () => {
    const error = await modelErrorOf(collect(['data: {"a":1}\n\n', "data: {"], "cut"));
    expect(error.message).toContain("broke off");
  });

  it("an event past maxEventSize is refused instead of buffered", async () => {
    const server = await upstream({ kind: "sse", chunks: [`data: "${"x".repeat(5000)}"\n\n`] });
    const open = await call({ baseURL: server.url });
    const events = readJSONEvents(open.response.body, {
      upstream: target.name,
      signal: new AbortController().signal,
      maxEventSize: 1000,
    });
    const error = await modelErrorOf(events.next());
    expect(error.message).toContain("malformed");
  });
});

describe("refusals", () => {
  it("a refused field is a 400 unsupported_parameter naming the field and the upstream", () => {
    const error = refuse("tools[1]", "Gemini", 'the hosted tool "web_search"');
    expect(error).toMatchObject({
      status: 400,
      type: "invalid_request",
      code: "unsupported_parameter",
      param: "tools[1]",
    });
    expect(error.message).toContain("Gemini");
    expect(error.message).toContain("tools[1]");
    const value = refuseValue("truncation", "Anthropic", "auto");
    expect(value).toMatchObject({ status: 400, code: "unsupported_value", param: "truncation" });
  });
});
