/**
 * A fake provider on a loopback port, for bridge tests: each request is recorded (method, path,
 * headers, parsed body) and answered by a script, in the provider's own framing (the script writes the
 * exact bytes: `sseData`/`sseEvent` build the usual SSE blocks). A reply can stream with pauses, break
 * off mid-way (`cut`), or stay open until the client goes away (`hold`), and the fake records whether
 * the client aborted, so a test can see that a caller who leaves aborts the upstream request.
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body, parsed (or the raw text when it is not JSON). */
  body: unknown;
}

export type FakeReply =
  /** A `text/event-stream` 200 written chunk by chunk (each a string of exact bytes). */
  | {
      kind: "sse";
      chunks: string[];
      /** Pause between chunks, in ms. */
      delayMs?: number;
      /** After the chunks: `end` (default), `cut` (destroy the socket), `hold` (wait for the client to leave). */
      after?: "end" | "cut" | "hold";
      headers?: Record<string, string>;
      contentType?: string;
    }
  /** A JSON answer with any status. */
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  /** A non-JSON answer (an HTML page from a proxy, say). */
  | { kind: "text"; status: number; body: string; contentType?: string }
  /** Never answers; the request stays open until the client aborts. */
  | { kind: "hang" };

export type FakeScript = (request: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` (no path). */
  url: string;
  requests: RecordedRequest[];
  /** How many requests the client abandoned before the reply ended. */
  readonly aborts: number;
  /** Resolves when the client has abandoned `count` requests (or rejects after `timeoutMs`). */
  waitForAborts(count: number, timeoutMs?: number): Promise<void>;
  /** Replaces the script for the requests that follow. */
  setScript(script: FakeScript): void;
  close(): Promise<void>;
}

/** `data: <json>\n\n`, the block of a data-only stream (Chat Completions, Gemini). */
export const sseData = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
/** `event: <name>\ndata: <json>\n\n`, the block of a named-event stream (Anthropic, Responses). */
export const sseEvent = (name: string, value: unknown): string =>
  `event: ${name}\ndata: ${JSON.stringify(value)}\n\n`;

/** Waits until `fake` has received `count` requests (polling; bounded by `timeoutMs`). */
export async function waitForRequests(fake: FakeUpstream, count: number, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fake.requests.length < count) {
    if (Date.now() > deadline)
      throw new Error(`the upstream got ${fake.requests.length} requests, not ${count}`);
    await sleep(5);
  }
}

export async function startFakeUpstream(script: FakeScript): Promise<FakeUpstream> {
  let current = script;
  const requests: RecordedRequest[] = [];
  let aborts = 0;
  const abortWaiters = new Set<() => void>();
  const sockets = new Set<import("node:net").Socket>();

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Listened for first, so a client that leaves while its body is still being read is counted too.
    let finished = false;
    res.on("close", () => {
      if (finished) return;
      aborts += 1;
      for (const wake of abortWaiters) wake();
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text.
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers[name] = value;
      else if (Array.isArray(value)) headers[name] = value.join(", ");
    }
    const recorded = { method: req.method ?? "", path: req.url ?? "", headers, body };
    const index = requests.length;
    requests.push(recorded);
    const reply = await current(recorded, index);
    switch (reply.kind) {
      case "json":
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(JSON.stringify(reply.body));
        finished = true;
        return;
      case "text":
        res.writeHead(reply.status, { "content-type": reply.contentType ?? "text/html" });
        res.end(reply.body);
        finished = true;
        return;
      case "hang":
        return;
      case "sse": {
        res.writeHead(200, {
          "content-type": reply.contentType ?? "text/event-stream",
          "cache-control": "no-cache",
          ...reply.headers,
        });
        res.flushHeaders();
        for (const chunk of reply.chunks) {
          if (res.destroyed) return;
          res.write(chunk);
          if (reply.delayMs) await sleep(reply.delayMs);
        }
        const after = reply.after ?? "end";
        if (after === "cut") {
          // Counted as the server's doing, not a client abort.
          finished = true;
          res.socket?.destroy();
        } else if (after === "end") {
          finished = true;
          res.end();
        }
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get aborts() {
      return aborts;
    },
    waitForAborts(count, timeoutMs = 3000) {
      return new Promise<void>((resolve, reject) => {
        if (aborts >= count) return resolve();
        const timer = setTimeout(() => {
          abortWaiters.delete(wake);
          reject(new Error(`the upstream saw ${aborts} aborts, not ${count}, within ${timeoutMs} ms`));
        }, timeoutMs);
        const wake = () => {
          if (aborts < count) return;
          clearTimeout(timer);
          abortWaiters.delete(wake);
          resolve();
        };
        abortWaiters.add(wake);
      });
    },
    setScript(next) {
      current = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
