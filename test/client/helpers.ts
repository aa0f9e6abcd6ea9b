/** Test servers on 127.0.0.1:0 and response fixtures for the client tests. */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { responseResource as completedResponse } from "../support/response-resource.js";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` (a bare origin, so the client adds `/v1`). */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: ServerResponse, index: number) => unknown;

/** A `serve(handler)` for one test file: each server it starts is closed after the test that started it. */
export function trackedServers(): (handler: Handler) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handler) => {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  };
}

/** Starts a server that records every request and answers through `handler`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res, requests.length - 1)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJSON(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** A completed `ResponseResource` with one assistant message holding `text`. */
export function responseResource(text: string, id = "resp_1"): Record<string, unknown> {
  const message = {
    type: "message",
    id: "msg_1",
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text, annotations: [], logprobs: [] }],
  };
  return completedResponse("completed", [message], { id, completed_at: 1_700_000_001 });
}
/** The spec event sequence (S4–S7) for a response whose message text arrives as `deltas`. */
export function textStreamEvents(deltas: string[], id = "resp_1"): Record<string, unknown>[] {
  const text = deltas.join("");
  const done = responseResource(text, id);
  const inProgress = { ...done, status: "in_progress", output: [], completed_at: null };
  const emptyItem = { type: "message", id: "msg_1", status: "in_progress", role: "assistant", content: [] };
  const emptyPart = { type: "output_text", text: "", annotations: [], logprobs: [] };
  const fullPart = { type: "output_text", text, annotations: [], logprobs: [] };
  const base = { item_id: "msg_1", output_index: 0, content_index: 0 };
  const events: Record<string, unknown>[] = [
    { type: "response.created", response: inProgress },
    { type: "response.in_progress", response: inProgress },
    { type: "response.output_item.added", output_index: 0, item: emptyItem },
    { type: "response.content_part.added", ...base, part: emptyPart },
    ...deltas.map((delta) => ({ type: "response.output_text.delta", ...base, delta, logprobs: [] })),
    { type: "response.output_text.done", ...base, text, logprobs: [] },
    { type: "response.content_part.done", ...base, part: fullPart },
    {
      type: "response.output_item.done",
      output_index: 0,
      item: { ...emptyItem, status: "completed", content: [fullPart] },
    },
    { type: "response.completed", response: done },
  ];
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}

/** One SSE frame with `event:` equal to the body's `type` (S1, S2). */
export function sseFrame(event: Record<string, unknown>): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function startSSE(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers });
  res.flushHeaders();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry timing small enough that retry tests take milliseconds. */
export const FAST_RETRIES = { initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 50 };

/** A logger that records every line, to check levels and redaction. */
export function recordingLogger() {
  const lines: { level: string; text: string }[] = [];
  const record =
    (level: string) =>
    (message: string, ...rest: unknown[]) => {
      lines.push({ level, text: [message, ...rest.map((r) => JSON.stringify(r))].join(" ") });
    };
  return {
    lines,
    logger: { error: record("error"), warn: record("warn"), info: record("info"), debug: record("debug") },
  };
}
