/**
 * WebSocket connections cannot pile up: one that sits idle ends (with the W7 code, so clients open a
 * new one), and past `maxConnections` an upgrade is refused with 503 before any socket is kept.
 */
import { connect as connectTcp } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import type { ServeWebSocketOptions } from "../../../src/server/node/serve-websocket.js";
import { until } from "./child.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(websocket: ServeWebSocketOptions, delayMs = 0): Promise<string> {
  server = await serve({
    handler: createResponsesHandler({ model: mockModel({ delayMs }) }),
    port: 0,
    websocket,
  });
  return `${server.url.replace("http", "ws")}/v1/responses`;
}

interface Client {
  ws: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: { code: number } | null;
}

function connect(url: string): Promise<Client> {
  const ws = new WebSocket(url);
  const client: Client = { ws, messages: [], closed: null };
  ws.on("message", (data) => client.messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  ws.on("close", (code) => {
    client.closed = { code };
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("error", reject);
  });
}

/** The HTTP status an upgrade was refused with, and its E1 body. */
function refused(url: string): Promise<{ status: number; body: { error?: { code?: string } } }> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once("open", () => reject(new Error("the upgrade was accepted")));
    ws.once("unexpected-response", (_request, response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    ws.once("error", () => {});
  });
}

const completed = (client: Client) => client.messages.filter((m) => m.type === "response.completed").length;

describe("W7: an idle WebSocket connection ends", () => {
  it("W7: no message for idleTimeoutMs: websocket_connection_limit_reached, then a normal close", async () => {
    const url = await start({ idleTimeoutMs: 300 });
    const client = await connect(url);
    const started = Date.now();
    await until(() => client.closed !== null, 5000, "the idle connection closing");
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(client.closed?.code).toBe(1000);
    const last = client.messages.at(-1) as { type?: string; error?: { code?: string } };
    expect(last.type).toBe("error");
    expect(last.error?.code).toBe("websocket_connection_limit_reached");
    expect(server?.server.listening).toBe(true);
  });

  it("W7: a client that keeps sending turns, and a turn that runs longer than the timeout, are not idle", async () => {
    const url = await start({ idleTimeoutMs: 400 }, 60);
    const client = await connect(url);
    // Each turn of the paced model streams for longer than the idle timeout.
    for (let turn = 1; turn <= 3; turn++) {
      client.ws.send(JSON.stringify({ type: "response.create", input: "count to 10" }));
      await until(() => completed(client) === turn, 10_000, `turn ${turn}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(client.closed).toBeNull();
    client.ws.close();
  });
});

describe("WebSocket connections are capped", () => {
  it("past maxConnections an upgrade gets 503 too_many_connections; a closed one frees its place", async () => {
    const url = await start({ maxConnections: 3, idleTimeoutMs: 60_000 });
    const clients = [await connect(url), await connect(url), await connect(url)];
    const answer = await refused(url);
    expect(answer.status).toBe(503);
    expect(answer.body.error?.code).toBe("too_many_connections");
    // The open ones still work.
    clients[0]?.ws.send(JSON.stringify({ type: "response.create", input: "hi" }));
    await until(() => completed(clients[0] as Client) === 1, 5000, "a turn on an open connection");

    clients[1]?.ws.close();
    await until(() => clients[1]?.closed !== null, 5000, "the close");
    const fourth = await connect(url);
    expect(fourth.ws.readyState).toBe(WebSocket.OPEN);
    for (const client of [...clients, fourth]) client.ws.terminate();
  });

  it("upgrades refused for their API key do not hold a place", async () => {
    server = await serve({
      handler: createResponsesHandler({ model: mockModel(), apiKey: "sk-test" }),
      port: 0,
      websocket: { maxConnections: 1 },
    });
    const url = `${server.url.replace("http", "ws")}/v1/responses`;
    for (let i = 0; i < 5; i++) expect((await refused(url)).status).toBe(401);
    const ws = new WebSocket(url, { headers: { authorization: "Bearer sk-test" } });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.terminate();
  });
});

describe("an upgrade on another path that no listener answers", () => {
  it("gets a 404 after the grace period when another upgrade listener only watches (an access log)", async () => {
    const url = await start({});
    const watched: string[] = [];
    const http = server?.server as unknown as import("node:http").Server;
    http.on("upgrade", (request) => {
      watched.push(String(request.url));
    });
    const { port } = new URL(url);
    const socket = connectTcp(Number(port), "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("utf8");
    });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      socket.write(
        "GET /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      );
      for (let i = 0; i < 200 && watched.length === 0; i++)
        await new Promise((resolve) => setImmediate(resolve));
      expect(watched).toEqual(["/elsewhere"]);
      // Left to the other listeners for a while...
      vi.advanceTimersByTime(5000);
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(answer).toBe("");
      // ...then answered, instead of held open for ever.
      vi.advanceTimersByTime(5000);
    } finally {
      vi.useRealTimers();
    }
    await until(() => answer.includes("\r\n\r\n"), 5000, "the 404");
    expect(answer.startsWith("HTTP/1.1 404")).toBe(true);
    socket.destroy();
  });
});
