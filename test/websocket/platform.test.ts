/** Which WebSocket implementation the client picks, and how headers reach it (or cannot). */

import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthenticationError } from "../../src/errors.js";
import { resolveSocketFactory } from "../../src/websocket/platform.js";
import { ResponsesSocket, WebSocketRequestError } from "../../src/websocket/session.js";

/** A stand-in for a platform WebSocket that records how it was constructed and never connects. */
function recordingWebSocket() {
  const calls: unknown[][] = [];
  class FakeWebSocket {
    readyState = 0;
    constructor(...args: unknown[]) {
      calls.push(args);
    }
    send(): void {}
    close(): void {}
    addEventListener(): void {}
  }
  return { calls, FakeWebSocket };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("resolveSocketFactory", () => {
  it("a user-supplied class is called as (url, protocols, { headers, perMessageDeflate: false, maxPayload }), the ws signature", async () => {
    const { calls, FakeWebSocket } = recordingWebSocket();
    const factory = await resolveSocketFactory(FakeWebSocket as never);
    factory.open("ws://h/v1/responses", { authorization: "Bearer k" }, ["p"], { maxPayload: 100 });
    expect(factory.canSendHeaders).toBe(true);
    expect(calls[0]).toEqual([
      "ws://h/v1/responses",
      ["p"],
      { headers: { authorization: "Bearer k" }, perMessageDeflate: false, maxPayload: 100 },
    ]);
  });

  it("a server-side platform WebSocket (Bun, Deno) gets an init object with headers", async () => {
    const { calls, FakeWebSocket } = recordingWebSocket();
    vi.stubGlobal("WebSocket", FakeWebSocket);
    vi.stubGlobal("Bun", {});
    const factory = await resolveSocketFactory();
    factory.open("wss://h/v1/responses", { authorization: "Bearer k" }, undefined);
    expect(factory.canSendHeaders).toBe(true);
    expect(calls[0]).toEqual([
      "wss://h/v1/responses",
      { headers: { authorization: "Bearer k" }, protocols: [] },
    ]);
  });

  it("in a browser the platform WebSocket gets only the protocols: no headers", async () => {
    const { calls, FakeWebSocket } = recordingWebSocket();
    vi.stubGlobal("WebSocket", FakeWebSocket);
    vi.stubGlobal("document", {});
    const factory = await resolveSocketFactory();
    factory.open("wss://h/v1/responses", {}, ["token.abc"]);
    expect(factory.canSendHeaders).toBe(false);
    expect(calls[0]).toEqual(["wss://h/v1/responses", ["token.abc"]]);
  });

  it("on Node, even with a global WebSocket (Node 22+), it uses the ws package, whose limits it can set", async () => {
    const { calls, FakeWebSocket } = recordingWebSocket();
    vi.stubGlobal("WebSocket", FakeWebSocket);
    const factory = await resolveSocketFactory();
    expect(factory.canSendHeaders).toBe(true);
    const socket = factory.open("ws://127.0.0.1:9/v1/responses", {}, undefined, { maxPayload: 10 });
    socket.addEventListener("error", () => {});
    socket.close();
    expect(calls).toEqual([]);
    expect(socket.constructor.name).toBe("WebSocket");
  });

  it("without a global WebSocket (Node 20) it loads the ws package", async () => {
    vi.stubGlobal("WebSocket", undefined);
    const factory = await resolveSocketFactory();
    expect(factory.canSendHeaders).toBe(true);
  });

  it("a browser session that would need to send a key refuses to open, with a typed error", async () => {
    const { calls, FakeWebSocket } = recordingWebSocket();
    vi.stubGlobal("WebSocket", FakeWebSocket);
    vi.stubGlobal("document", {});
    const session = new ResponsesSocket({
      url: "wss://h/v1/responses",
      headers: { authorization: "Bearer sk-browser-secret-123456" },
    });
    const error = await session
      .create({ model: "m", input: "x" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebSocketRequestError);
    expect(String(error)).toMatch(/Browsers cannot set headers/);
    expect(String(error)).not.toContain("sk-browser-secret");
    expect(calls).toEqual([]);
    await session.close();
  });
});

/** A stand-in for the socket a Workers `fetch` upgrade returns: accepted, then open; no `open` event. */
function workersSocket() {
  const listeners: Array<[string, (event: unknown) => void]> = [];
  const sent: string[] = [];
  const socket = {
    readyState: 0,
    accepted: false,
    accept() {
      socket.accepted = true;
      socket.readyState = 1;
    },
    send: (data: string) => sent.push(data),
    close(code?: number) {
      socket.readyState = 3;
      for (const [type, listener] of listeners) if (type === "close") listener({ code: code ?? 1000 });
    },
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.push([type, listener]),
    deliver(data: string) {
      for (const [type, listener] of listeners) if (type === "message") listener({ data });
    },
  };
  return { socket, sent };
}

describe("Cloudflare Workers: a fetch upgrade, which can carry the API key", () => {
  function stubWorkers(respond: (url: string, init: RequestInit) => unknown) {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    vi.stubGlobal("navigator", { userAgent: "Cloudflare-Workers" });
    // Workers also define a browser-style WebSocket and WorkerGlobalScope: neither may win here.
    vi.stubGlobal("WebSocket", recordingWebSocket().FakeWebSocket);
    vi.stubGlobal("WorkerGlobalScope", class {});
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return respond(url, init);
    });
    return calls;
  }

  it("opens with fetch(http URL, { headers: { Upgrade: websocket, Authorization } }) and accepts the socket", async () => {
    const { socket, sent } = workersSocket();
    const calls = stubWorkers(() => ({ status: 101, webSocket: socket, body: null }));
    const factory = await resolveSocketFactory();
    expect(factory.canSendHeaders).toBe(true);
    const opened = factory.open("wss://h/v1/responses", { authorization: "Bearer k" }, ["p1", "p2"]);
    expect(opened.readyState).toBe(0);
    const events: string[] = [];
    opened.addEventListener("open", () => events.push("open"));
    opened.addEventListener("message", (event: { data: string }) => events.push(`message ${event.data}`));
    await vi.waitFor(() => expect(events).toContain("open"));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("https://h/v1/responses");
    expect(calls[0]?.init.headers).toEqual({
      authorization: "Bearer k",
      Upgrade: "websocket",
      "Sec-WebSocket-Protocol": "p1, p2",
    });
    expect(socket.accepted).toBe(true);
    expect(opened.readyState).toBe(1);
    opened.send("hello");
    socket.deliver("answer");
    expect(sent).toEqual(["hello"]);
    expect(events).toEqual(["open", "message answer"]);
  });

  it("a refused upgrade (no webSocket on the response) is reported as ws reports it, with the status", async () => {
    stubWorkers(() => new Response('{"error":{}}', { status: 401 }));
    const factory = await resolveSocketFactory();
    const opened = factory.open("ws://h/v1/responses", { authorization: "Bearer bad" }, undefined);
    const events: Array<{ type: string; message?: string; code?: number }> = [];
    opened.addEventListener("error", (event: { message: string }) =>
      events.push({ type: "error", message: event.message }),
    );
    opened.addEventListener("close", (event: { code: number }) =>
      events.push({ type: "close", code: event.code }),
    );
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events).toEqual([
      { type: "error", message: "Unexpected server response: 401" },
      { type: "close", code: 1006 },
    ]);
    expect(opened.readyState).toBe(3);
  });

  it("a session with an API key opens on Workers (no 'Browsers cannot set headers') and a 401 is an AuthenticationError", async () => {
    stubWorkers(() => new Response(null, { status: 401 }));
    const session = new ResponsesSocket({
      url: "wss://h/v1/responses",
      headers: { authorization: "Bearer sk-workers-secret-123456" },
      recovery: false,
    });
    const error = await session
      .create({ model: "m", input: "x" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(String(error)).not.toMatch(/Browsers cannot set headers/);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(String(error)).not.toContain("sk-workers-secret");
    await session.close();
  });

  it("closing while the upgrade is in flight aborts it and reports a close", async () => {
    let signal: AbortSignal | undefined;
    stubWorkers(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          signal = init.signal ?? undefined;
          init.signal?.addEventListener("abort", () => reject(new Error("aborted")));
        }),
    );
    const factory = await resolveSocketFactory();
    const opened = factory.open("ws://h/v1/responses", {}, undefined);
    const closes: number[] = [];
    opened.addEventListener("close", (event: { code: number }) => closes.push(event.code));
    await vi.waitFor(() => expect(signal).toBeDefined());
    opened.close(1000);
    expect(signal?.aborted).toBe(true);
    expect(closes).toEqual([1000]);
    expect(opened.readyState).toBe(3);
  });
});
