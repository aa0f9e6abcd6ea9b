/**
 * Deliberately broken servers for the check gallery. Each is the kit's own (compliant) server with one
 * rule broken on the way out: requests and answers pass through hooks that rewrite the JSON, the SSE
 * events or the WebSocket messages, or take over the socket entirely (hang, flood, drop).
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";

export type Loose = Record<string, unknown>;

export interface SSEOptions {
  /** The `event:` line for an event; undefined leaves it out. Default: the event's type. */
  eventName?: (event: Loose) => string | undefined;
  done?: boolean;
  id?: boolean;
  lineEnding?: string;
  /** Written before each event, e.g. a comment line. */
  prefix?: string;
}

export function toSSE(events: Loose[], options: SSEOptions = {}): string {
  const eol = options.lineEnding ?? "\n";
  const name = options.eventName ?? ((event: Loose) => event.type as string);
  let text = "";
  events.forEach((event, index) => {
    text += options.prefix ?? "";
    const eventName = name(event);
    if (eventName !== undefined) text += `event: ${eventName}${eol}`;
    if (options.id) text += `id: ${index}${eol}`;
    text += `data: ${JSON.stringify(event)}${eol}${eol}`;
  });
  if (options.done ?? true) text += `data: [DONE]${eol}${eol}`;
  return text;
}

/** Renumbers sequence_number 0, 1, 2... after events were added or removed. */
export function renumber(events: Loose[]): Loose[] {
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}

export interface Breaks {
  /** Rewrites a request body before the kit sees it. */
  request?: (body: Loose, path: string) => Loose;
  /** Rewrites a JSON answer. */
  json?: (answer: { status: number; body: unknown; contentType: string }) => {
    status: number;
    body: string;
    contentType: string;
  };
  /** Produces the SSE body from the kit's events. */
  sse?: (events: Loose[]) => string;
  /** Takes over an HTTP request; return true when it did. */
  raw?: (req: IncomingMessage, res: ServerResponse, body: string) => boolean;
  /**
   * A WebSocket message from the client: return a list of messages to answer with instead of forwarding
   * it, or undefined to forward.
   */
  wsClient?: (message: Loose) => Loose[] | undefined;
  /** A WebSocket message from the kit to the client: the messages to send instead. */
  wsServer?: (message: Loose, send: (message: Loose) => void) => Loose[];
}

export interface BrokenServer {
  url: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

function parseSSE(text: string): Loose[] {
  const events: Loose[] = [];
  for (const block of text.split("\n\n")) {
    const data = block
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => line.slice(6))
      .join("\n");
    if (data !== "" && data !== "[DONE]") events.push(JSON.parse(data) as Loose);
  }
  return events;
}

export async function brokenServer(breaks: Breaks = {}): Promise<BrokenServer> {
  const handler = createResponsesHandler({ model: mockModel() });
  // The kit on its own port, for WebSocket mode behind the proxy below.
  const kit: RunningServer = await serve({ handler, port: 0, host: "127.0.0.1" });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      if (breaks.raw?.(req, res, text)) return;
      const path = new URL(req.url ?? "/", "http://x").pathname;
      let body = text;
      if (breaks.request) {
        try {
          body = JSON.stringify(breaks.request(JSON.parse(text) as Loose, path));
        } catch {
          // Not JSON: passed on as it is (the malformed-request scenario sends such bodies).
        }
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers.set(name, value);
      const answer = await handler(
        new Request(`http://127.0.0.1${req.url}`, { method: req.method ?? "POST", headers, body }),
      );
      const contentType = answer.headers.get("content-type") ?? "";
      const answerText = await answer.text();
      if (contentType.startsWith("text/event-stream")) {
        res.writeHead(answer.status, { "content-type": contentType });
        const events = parseSSE(answerText);
        res.end(breaks.sse ? breaks.sse(events) : toSSE(events));
        return;
      }
      if (breaks.json) {
        let parsed: unknown = answerText;
        try {
          parsed = JSON.parse(answerText);
        } catch {}
        const out = breaks.json({ status: answer.status, body: parsed, contentType });
        res.writeHead(out.status, { "content-type": out.contentType }).end(out.body);
        return;
      }
      res.writeHead(answer.status, { "content-type": contentType }).end(answerText);
    })().catch(() => res.destroy());
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (client) => {
      const upstream = new WebSocket(`${kit.url.replace("http", "ws")}/v1/responses`);
      const pending: string[] = [];
      const toClient = (message: Loose) => client.send(JSON.stringify(message));
      upstream.on("open", () => {
        for (const message of pending.splice(0)) upstream.send(message);
      });
      upstream.on("message", (data: Buffer) => {
        const message = JSON.parse(data.toString("utf8")) as Loose;
        for (const out of breaks.wsServer ? breaks.wsServer(message, toClient) : [message]) toClient(out);
      });
      upstream.on("close", () => client.close());
      client.on("message", (data: Buffer) => {
        const message = JSON.parse(data.toString("utf8")) as Loose;
        const answer = breaks.wsClient?.(message);
        if (answer) {
          for (const out of answer) toClient(out);
          return;
        }
        if (upstream.readyState === WebSocket.OPEN) upstream.send(JSON.stringify(message));
        else pending.push(JSON.stringify(message));
      });
      client.on("close", () => upstream.close());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await kit.close();
    },
  };
}
