/**
 * A server that answers from `check --record` recordings: requests are answered in the order they were
 * recorded, with the recorded status, headers and body bytes; a WebSocket replays the frames received
 * after each frame the client sends. Used to show a replayed real exchange is judged as the live one.
 */

import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { WebSocketServer } from "ws";
import type {
  RecordedHttpExchange,
  RecordedWebSocketSession,
  ScenarioRecording,
} from "../../../src/cli/check/recorder.js";

export async function loadRecordings(dir: string, order: readonly string[]): Promise<ScenarioRecording[]> {
  const files = new Set(await readdir(dir));
  const out: ScenarioRecording[] = [];
  for (const id of order) {
    if (files.has(`${id}.json`))
      out.push(JSON.parse(await readFile(join(dir, `${id}.json`), "utf8")) as ScenarioRecording);
  }
  return out;
}

export async function replayServer(
  recordings: ScenarioRecording[],
): Promise<{ url: string; close(): Promise<void> }> {
  const http: RecordedHttpExchange[] = [];
  const sockets: RecordedWebSocketSession[] = [];
  for (const recording of recordings) {
    for (const exchange of recording.exchanges)
      exchange.transport === "http" ? http.push(exchange) : sockets.push(exchange);
  }
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const next = http.shift();
      if (!next?.response) {
        res
          .writeHead(500, { "content-type": "application/json" })
          .end('{"error":{"message":"no recording left","type":"server_error","param":null,"code":null}}');
        return;
      }
      const {
        "content-length": _length,
        "transfer-encoding": _encoding,
        connection: _connection,
        ...headers
      } = next.response.headers;
      res.writeHead(next.response.status, headers).end(next.response.body);
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket) => {
    const session = sockets.shift();
    const frames = session?.frames ?? [];
    let cursor = 0;
    socket.on("message", () => {
      // Skip this sent frame, then replay what the server answered until the next sent frame.
      while (cursor < frames.length && frames[cursor]?.direction !== "sent") cursor++;
      cursor++;
      while (cursor < frames.length && frames[cursor]?.direction === "received")
        socket.send(frames[cursor++]?.data ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
