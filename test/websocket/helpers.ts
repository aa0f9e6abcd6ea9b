/** WebSocket test servers on 127.0.0.1:0, a scripted model, and a raw `ws` client for wire-level checks. */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { attachWebSocketMode, type WebSocketMode } from "../../src/server/index.js";
import { createResponsesEngine, type ResponsesEngine } from "../../src/server/kit/engine.js";
import { createMemoryStore } from "../../src/server/kit/memory-store.js";
import type { Model, ModelPart, ModelRequest, ResponseStore } from "../../src/server/model.js";

/** A model whose parts come from `script`; every request it sees is kept in `requests`. */
export function scriptedModel(
  script: (request: ModelRequest, index: number) => ModelPart[] | AsyncIterable<ModelPart>,
): Model & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  const model = ((request: ModelRequest) => {
    requests.push(request);
    return script(request, requests.length - 1);
  }) as Model & { requests: ModelRequest[] };
  model.requests = requests;
  return model;
}

/** Parts yielded with a pause between them, so a turn stays in flight for a while. */
export async function* slowly(parts: ModelPart[], delayMs: number): AsyncIterable<ModelPart> {
  for (const part of parts) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield part;
  }
}

export interface WsTestServer {
  /** `ws://127.0.0.1:PORT/v1/responses` */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  engine: ResponsesEngine;
  store: ResponseStore;
  mode: WebSocketMode;
  server: Server;
  close(): Promise<void>;
}

export async function startWsServer(
  model: Model,
  options: {
    apiKey?: string;
    maxConnectionAgeMs?: number;
    limitGraceMs?: number;
    maxQueuedMessages?: number;
  } = {},
): Promise<WsTestServer> {
  const store = createMemoryStore();
  const engine = createResponsesEngine({ model, store });
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const mode = attachWebSocketMode(server, { engine, store, ...options });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/responses`,
    origin: `http://127.0.0.1:${port}`,
    engine,
    store,
    mode,
    server,
    close: async () => {
      await mode.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WireMessage = Record<string, unknown> & { type: string };

/** A raw client: sends what it is told and hands back every message, for wire-level assertions. */
export interface RawClient {
  socket: WebSocket;
  send(value: unknown): void;
  /** The next message (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<WireMessage>;
  /** Messages up to and including a terminal event or an error envelope. */
  turn(timeoutMs?: number): Promise<WireMessage[]>;
  /** Resolves with the close code when the server closes the socket. */
  closed: Promise<number>;
  close(): Promise<void>;
}

export function isTurnEnd(message: WireMessage): boolean {
  return (
    message.type === "response.completed" ||
    message.type === "response.incomplete" ||
    message.type === "response.failed" ||
    (message.type === "error" && typeof message.sequence_number !== "number")
  );
}

export async function rawClient(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const socket = new WebSocket(url, { headers });
  const buffered: WireMessage[] = [];
  const waiters: Array<(message: WireMessage) => void> = [];
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as WireMessage;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else buffered.push(message);
  });
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = (timeoutMs = 5000) =>
    new Promise<WireMessage>((resolve, reject) => {
      const ready = buffered.shift();
      if (ready) return resolve(ready);
      const timer = setTimeout(() => reject(new Error("no message within the time limit")), timeoutMs);
      waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  return {
    socket,
    send: (value) => socket.send(typeof value === "string" ? value : JSON.stringify(value)),
    next,
    turn: async (timeoutMs = 5000) => {
      const messages: WireMessage[] = [];
      for (let i = 0; i < 10_000; i++) {
        const message = await next(timeoutMs);
        messages.push(message);
        if (isTurnEnd(message)) return messages;
      }
      throw new Error("turn did not end");
    },
    closed,
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}

/**
 * A misbehaving server for client tests: each connection's messages go to `onMessage`, which answers
 * however the test wants (drop, envelope, partial events).
 */
export async function startScriptedServer(
  onMessage: (socket: WebSocket, message: WireMessage, connectionIndex: number) => void,
): Promise<{ url: string; connections: number; received: WireMessage[][]; close(): Promise<void> }> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  const received: WireMessage[][] = [];
  const state = { connections: 0 };
  wss.on("connection", (socket) => {
    const index = state.connections++;
    received[index] = [];
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as WireMessage;
      received[index]?.push(message);
      onMessage(socket, message, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/responses`,
    get connections() {
      return state.connections;
    },
    received,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The S4–S9 events of one tiny completed response, numbered from `firstSequence`. */
export function cannedTurn(responseId: string, text: string, firstSequence = 0): WireMessage[] {
  const base = {
    id: responseId,
    object: "response",
    created_at: 1,
    completed_at: null,
    status: "in_progress",
    model: "test",
    output: [] as unknown[],
  };
  const item = {
    id: `msg_${responseId}`,
    type: "message",
    role: "assistant",
    status: "in_progress",
    content: [],
  };
  const part = { type: "output_text", text: "", annotations: [] };
  const doneItem = { ...item, status: "completed", content: [{ ...part, text }] };
  const events: Array<Record<string, unknown> & { type: string }> = [
    { type: "response.created", response: base },
    { type: "response.in_progress", response: base },
    { type: "response.output_item.added", output_index: 0, item },
    { type: "response.content_part.added", item_id: item.id, output_index: 0, content_index: 0, part },
    {
      type: "response.output_text.delta",
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      delta: text,
      logprobs: [],
    },
    {
      type: "response.output_text.done",
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      text,
      logprobs: [],
    },
    {
      type: "response.content_part.done",
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      part: { ...part, text },
    },
    { type: "response.output_item.done", output_index: 0, item: doneItem },
    {
      type: "response.completed",
      response: { ...base, status: "completed", completed_at: 2, output: [doneItem] },
    },
  ];
  return events.map((event, index) => ({ ...event, sequence_number: firstSequence + index }));
}
