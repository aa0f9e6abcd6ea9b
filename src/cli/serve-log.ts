/**
 * `serve`'s access log: one line per request when its answer ends (`12:00:01 POST /v1/responses 200
 * 35ms`), and one per WebSocket connection when it closes. The path is shown without its query string
 * (where some clients put a key) and inert; headers, where keys travel, are never shown.
 */

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Style } from "./style.js";
import { inertText } from "./terminal-text.js";

function clock(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

function pathOf(req: IncomingMessage): string {
  return inertText((req.url ?? "/").split("?")[0] || "/");
}

function statusText(status: number, style: Style): string {
  const text = String(status);
  return status >= 500 ? style.red(text) : status >= 400 ? style.yellow(text) : style.green(text);
}

/** Writes one line per request and WebSocket connection of `server` to `write`. */
export function logRequests(server: Server, write: (line: string) => void, style: Style): void {
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    res.once("close", () => {
      const ms = Math.round(performance.now() - started);
      // A client that leaves before the end (a stopped stream) is worth telling apart from a full answer.
      const cut = res.writableFinished ? "" : style.dim(" (client left before the end)");
      write(
        `${style.dim(clock(new Date()))} ${req.method ?? "?"} ${pathOf(req)} ${statusText(res.statusCode, style)} ${ms}ms${cut}`,
      );
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex) => {
    const started = performance.now();
    socket.once("close", () => {
      const ms = Math.round(performance.now() - started);
      write(
        `${style.dim(clock(new Date()))} ${req.method ?? "?"} ${pathOf(req)} ${style.cyan("websocket")} ${ms}ms`,
      );
    });
  });
}
