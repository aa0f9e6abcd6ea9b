/**
 * Server WebSocket mode under pressure: a client that sends turns faster than they run (bounded queue,
 * W3), a turn still running at the age limit (W7) with a model that never ends, and a server whose
 * upgrades are shared with other code.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import {
  attachWebSocketMode,
  createResponsesHandler,
  ResponsesConnection,
  serve,
} from "../../../src/server/index.js";
import { createResponsesEngine } from "../../../src/server/kit/engine.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import {
  rawClient,
  scriptedModel,
  slowly,
  startWsServer,
  type WireMessage,
} from "../../websocket/helpers.js";

const hello: ModelPart[] = [{ type: "text", delta: "Hello" }];

/** Waits until `check` holds, polling; bounded in time. */
async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("W3: turns waiting on a connection are bounded", () => {
  it("W3: the socket is paused while the queue is full and resumed once it drains; every turn still runs in order", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const model = scriptedModel((_request, index) =>
      index === 0
        ? (async function* () {
            await gate;
            yield* hello;
          })()
        : hello,
    );
    const engine = createResponsesEngine({ model });
    const sent: WireMessage[] = [];
    const calls: string[] = [];
    const connection = new ResponsesConnection({
      engine,
      store: engine.store,
      maxAgeMs: Number.POSITIVE_INFINITY,
      maxQueuedMessages: 4,
      send: (text) => {
        sent.push(JSON.parse(text) as WireMessage);
      },
      close: () => {},
      pause: () => calls.push("pause"),
      resume: () => calls.push("resume"),
    });
    try {
      for (let i = 0; i < 10; i++) {
        connection.receive(JSON.stringify({ type: "response.create", model: "m", input: `turn ${i}` }));
      }
      // One turn runs; the fourth waiting message filled the queue.
      expect(calls).toEqual(["pause"]);
      release();
      const completed = () => sent.filter((message) => message.type === "response.completed");
      await until(() => completed().length === 10);
      expect(calls).toEqual(["pause", "resume"]);
      const inputs = model.requests.map((request: ModelRequest) => request.body.input);
      expect(inputs).toEqual(Array.from({ length: 10 }, (_, i) => `turn ${i}`));
    } finally {
      connection.dispose();
    }
  });

  it("W3: over a real socket, a burst of turns larger than the queue is answered in full, in order", async () => {
    const server = await startWsServer(scriptedModel(() => slowly(hello, 2)));
    const client = await rawClient(server.url);
    try {
      for (let i = 0; i < 20; i++) client.send({ type: "response.create", model: "m", input: `n${i}` });
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const turn = await client.turn(5000);
        const last = turn.at(-1);
        expect(last?.type).toBe("response.completed");
        ids.push(String((last?.response as { id?: string } | undefined)?.id));
      }
      expect(new Set(ids).size).toBe(20);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe("W7: the age limit holds even when a turn never ends", () => {
  it("W7: a turn still running after the grace period is stopped, then the limit envelope and close 1000", async () => {
    let signal: AbortSignal | undefined;
    const model = scriptedModel((request) => {
      signal = request.signal;
      return (async function* () {
        yield* hello;
        // Never ends, and ignores its signal.
        await new Promise(() => {});
      })();
    });
    const server = await startWsServer(model, { maxConnectionAgeMs: 100, limitGraceMs: 100 });
    try {
      const client = await rawClient(server.url);
      client.send({ type: "response.create", model: "m", input: "hi" });
      const messages: WireMessage[] = [];
      for (let i = 0; i < 50; i++) {
        const message = await client.next(3000);
        messages.push(message);
        if (message.type === "error") break;
      }
      expect(messages.map((message) => message.type)).toContain("response.output_text.delta");
      expect(messages.some((message) => message.type === "response.completed")).toBe(false);
      expect(messages.at(-1)).toMatchObject({
        type: "error",
        error: { code: "websocket_connection_limit_reached" },
      });
      expect(await client.closed).toBe(1000);
      expect(signal?.aborted).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("attachWebSocketMode on a shared server", () => {
  it("upgrades on other paths are left to the server's other upgrade listener", async () => {
    const http = createServer();
    const engine = createResponsesEngine({ model: scriptedModel(() => hello) });
    const mode = attachWebSocketMode(http, { engine, store: engine.store });
    const other = new WebSocketServer({ noServer: true });
    http.on("upgrade", (request, socket, head) => {
      if (!request.url?.startsWith("/chat")) return;
      other.handleUpgrade(request, socket, head, (ws) => ws.send("welcome"));
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/chat`);
      const first = await new Promise<string>((resolve, reject) => {
        socket.once("message", (data) => resolve(String(data)));
        socket.once("error", reject);
      });
      expect(first).toBe("welcome");
      socket.close();
      // Our own path still works on the same server.
      const client = await rawClient(`ws://127.0.0.1:${port}/v1/responses`);
      client.send({ type: "response.create", model: "m", input: "hi" });
      expect((await client.turn()).at(-1)?.type).toBe("response.completed");
      await client.close();
    } finally {
      for (const ws of other.clients) ws.terminate();
      await new Promise<void>((resolve) => other.close(() => resolve()));
      await mode.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it("an upgrade still being authenticated when close() runs is refused, not accepted afterwards", async () => {
    const http = createServer();
    const engine = createResponsesEngine({ model: scriptedModel(() => hello) });
    let authenticating = false;
    const mode = attachWebSocketMode(http, {
      engine,
      store: engine.store,
      authenticate: () => {
        authenticating = true;
        return new Promise((resolve) => setTimeout(() => resolve(null), 100));
      },
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/responses`);
      const outcome = new Promise<string>((resolve) => {
        socket.once("open", () => resolve("open"));
        socket.once("error", (error) => resolve(error.message));
      });
      await until(() => authenticating);
      await mode.close();
      expect(await outcome).toMatch(/503/);
      expect(mode.connections).toBe(0);
      socket.terminate();
    } finally {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe("browser origins on the upgrade", () => {
  async function opens(url: string, origin?: string): Promise<string> {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    const outcome = await new Promise<string>((resolve) => {
      socket.once("open", () => resolve("open"));
      socket.once("error", (error) => resolve(error.message));
    });
    socket.terminate();
    return outcome;
  }

  it("a cross-origin page is refused with 403 unless allowed; same-origin and non-browser clients pass", async () => {
    const server = await startWsServer(scriptedModel(() => hello));
    try {
      expect(await opens(server.url, "https://evil.example")).toMatch(/403/);
      expect(await opens(server.url, "null")).toMatch(/403/);
      expect(await opens(server.url)).toBe("open");
      expect(await opens(server.url, server.origin)).toBe("open");
    } finally {
      await server.close();
    }
  });

  it("serve(): the handler's cors option decides which other origins may connect", async () => {
    const model = scriptedModel(() => hello);
    const closed = await serve({ handler: createResponsesHandler({ model }), port: 0 });
    const open = await serve({
      handler: createResponsesHandler({ model, cors: { origin: ["https://app.example"] } }),
      port: 0,
    });
    try {
      const ws = (base: string) => `${base.replace("http", "ws")}/v1/responses`;
      expect(await opens(ws(closed.url), "https://app.example")).toMatch(/403/);
      expect(await opens(ws(open.url), "https://app.example")).toBe("open");
      expect(await opens(ws(open.url), "https://other.example")).toMatch(/403/);
    } finally {
      await closed.close();
      await open.close();
    }
  });
});

describe("serve(): message size", () => {
  it("a WebSocket message is held to the handler's maxBodyBytes, as an HTTP body is (close 1009)", async () => {
    const handler = createResponsesHandler({ model: scriptedModel(() => hello), maxBodyBytes: 4096 });
    const running = await serve({ handler, port: 0 });
    try {
      const url = `${running.url.replace("http", "ws")}/v1/responses`;
      const client = await rawClient(url);
      client.send({ type: "response.create", model: "m", input: "small" });
      expect((await client.turn()).at(-1)?.type).toBe("response.completed");
      client.send({ type: "response.create", model: "m", input: "x".repeat(20_000) });
      expect(await client.closed).toBe(1009);
    } finally {
      await running.close();
    }
  });
});
