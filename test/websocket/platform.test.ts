/** Which WebSocket implementation the client picks, and how headers reach it (or cannot). */

import { afterEach, describe, expect, it, vi } from "vitest";
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
  it("a user-supplied class is called as (url, protocols, { headers })", async () => {
    const { calls, FakeWebSocket } = recordingWebSocket();
    const factory = await resolveSocketFactory(FakeWebSocket as never);
    factory.open("ws://h/v1/responses", { authorization: "Bearer k" }, ["p"]);
    expect(factory.canSendHeaders).toBe(true);
    expect(calls[0]).toEqual(["ws://h/v1/responses", ["p"], { headers: { authorization: "Bearer k" } }]);
  });

  it("a server-side platform WebSocket (Node 22+, Bun, Deno) gets an init object with headers", async () => {
    const { calls, FakeWebSocket } = recordingWebSocket();
    vi.stubGlobal("WebSocket", FakeWebSocket);
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
