/**
 * WebSocket mode for a Node `http.Server`: upgrades on `{basePath}/responses` go to a `ws` server in
 * `noServer` mode, each connection gets a `ResponsesConnection`. The `ws` package is loaded on the first
 * upgrade, so importing the server kit does not require it.
 */

import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { type ApiKeyCheck, createApiKeyCheck } from "../kit/auth.js";
import { sameOrigin } from "../kit/browser-policy.js";
import type { KitError } from "../kit/kit-error.js";
import type { ResponseStore } from "../model.js";
import { ResponsesConnection, type WebSocketEngine } from "../websocket/connection.js";
import { DEFAULT_CONNECTION_AGE_MS, DEFAULT_IDLE_TIMEOUT_MS } from "../websocket/limits.js";
import { hostAllowList } from "./browser-hosts.js";
import { createSocketSender } from "./socket-sender.js";

/**
 * The part of a Node `http.Server` that WebSocket mode uses. Typed structurally (a real `http.Server`
 * fits) so that the declarations of `openresponses/server` need no `@types/node`.
 */
export interface UpgradeServer {
  on(event: "upgrade", listener: UpgradeListener): unknown;
  off(event: "upgrade", listener: UpgradeListener): unknown;
  listenerCount(event: "upgrade"): number;
}

/** Node calls it with an `IncomingMessage`, a `Duplex` socket and a `Buffer`. */
export type UpgradeListener = (request: unknown, socket: unknown, head: unknown) => void;

/** The `node:http` server behind `serve()`: the members most callers use (see `RunningServer.server`). */
export interface NodeHttpServer extends UpgradeServer {
  readonly listening: boolean;
  address(): { address: string; family: string; port: number } | string | null;
  close(callback?: (error?: Error) => void): unknown;
  closeAllConnections(): void;
}

export interface WebSocketModeOptions {
  /** The kit's engine, shared with the HTTP handler. */
  engine: WebSocketEngine;
  /** The server's response store (the one the HTTP handler uses). */
  store: ResponseStore;
  /** Where the API lives; the socket is served on `{basePath}/responses`. Default `/v1`. */
  basePath?: string;
  /** When set, an upgrade without the key (`Authorization: Bearer <key>` or `api-key`) is refused with 401. */
  apiKey?: string | null;
  /** A custom check instead of `apiKey`, e.g. a `ResponsesHandler`'s `authenticate`; null lets it through. */
  authenticate?: ApiKeyCheck;
  /**
   * Cross-origin browser pages allowed to connect: `"*"`, a list of origins, or a predicate. Browsers
   * send `Origin` on every upgrade and, unlike HTTP, WebSockets have no CORS: without this check any
   * page a user visits could drive the server and read its answers. Upgrades without `Origin`
   * (non-browser clients) and same-origin pages are always let through. Default: none.
   */
  allowedOrigins?: "*" | readonly string[] | ((origin: string) => boolean);
  /**
   * Host names a same-origin browser upgrade may name in `Host` (besides IP addresses, `localhost` and
   * `boundHost`, which are always allowed). A page whose Origin and Host both name another host is
   * refused with 403 unless `allowedOrigins` lets its origin in: otherwise a page on an attacker's
   * domain, rebound by DNS to this server's address, would pass as same-origin (DNS rebinding).
   */
  allowedHosts?: readonly string[];
  /** The host the server listens on (`serve`'s `host`); allowed in `Host` like `localhost`. */
  boundHost?: string;
  /** Connection age limit in milliseconds (rule W7). Default 60 minutes; `Infinity` for none. */
  maxConnectionAgeMs?: number;
  /** Largest accepted message in bytes. Default 32 MiB (an `input` string may be 10 MiB). */
  maxPayloadBytes?: number;
  /**
   * Messages that may wait behind the turn in flight (W3) before the server stops reading the socket
   * until one has run; bounds a connection's memory. Default 8.
   */
  maxQueuedMessages?: number;
  /**
   * W7: how long a turn in flight at the age limit may still run before it is stopped and the
   * connection ends. Default 60 seconds.
   */
  limitGraceMs?: number;
  /**
   * How long a connection may sit idle: no message from the client while no turn runs (then it ends
   * with `websocket_connection_limit_reached`, as at the age limit), or no byte read by the client
   * while a message waits to be sent (then the client is cut off). Default 5 minutes; `Infinity` for
   * none.
   */
  idleTimeoutMs?: number;
  /** Open connections at most; further upgrades get 503 `too_many_connections`. Default 1000. */
  maxConnections?: number;
  /**
   * Bytes the server may hold for a client that is not reading before it cuts the client off. Sending
   * waits for the client past 1 MiB, so only a peer that stopped reading gets here. Default 16 MiB.
   */
  maxBufferedBytes?: number;
}

export interface WebSocketMode {
  /** Open connections. */
  readonly connections: number;
  /** Closes every connection (code 1001) and stops accepting upgrades. */
  close(): Promise<void>;
}

const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_CONNECTIONS = 1000;
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** How long an upgrade on another path is left to other `upgrade` listeners before it gets a 404. */
const UNCLAIMED_UPGRADE_MS = 10_000;

/** Queued bytes on a socket above which sending waits for the client to read. */
const HIGH_WATER_BYTES = 1024 * 1024;

/** The few members of `ws` used here, so its types never reach this package's public signatures. */
interface WsSocket {
  on(event: "message", listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): void;
  on(event: "close" | "error", listener: () => void): void;
  send(data: string, callback?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  pause(): void;
  resume(): void;
  readonly readyState: number;
  readonly bufferedAmount: number;
}
interface WsServer {
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    callback: (ws: WsSocket) => void,
  ): void;
  close(callback?: () => void): void;
}
type WsServerConstructor = new (options: { noServer: true; maxPayload: number }) => WsServer;

/** The upgrade request's headers as a web `Request`, the form the kit's API-key check reads. */
function toWebRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    for (const value of values ?? []) headers.append(name, value);
  }
  return new Request(new URL(request.url ?? "/", "http://localhost"), { headers });
}

/** Answers an upgrade with a plain HTTP error (rule E1 body) and drops the socket. */
function refuse(socket: Duplex, status: number, reason: string, code: string, message: string): void {
  refuseWith(socket, reason, { status, error: { message, type: "invalid_request", param: null, code } });
}

function refuseWith(socket: Duplex, reason: string, failure: KitError): void {
  const body = JSON.stringify({ error: failure.error });
  const auth = failure.status === 401 ? "WWW-Authenticate: Bearer\r\n" : "";
  socket.end(
    `HTTP/1.1 ${failure.status} ${reason}\r\nContent-Type: application/json\r\n${auth}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function messageText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}

export function attachWebSocketMode(server: UpgradeServer, options: WebSocketModeOptions): WebSocketMode {
  const path = `${(options.basePath ?? "/v1").replace(/\/+$/, "")}/responses`;
  const maxAgeMs = options.maxConnectionAgeMs ?? DEFAULT_CONNECTION_AGE_MS;
  if (!(maxAgeMs > 0)) throw new RangeError("maxConnectionAgeMs must be a positive number (or Infinity).");
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  if (!(idleTimeoutMs > 0)) throw new RangeError("idleTimeoutMs must be a positive number (or Infinity).");
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!(maxConnections >= 1)) throw new RangeError("maxConnections must be at least 1 (or Infinity).");
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  if (!(maxBufferedBytes >= HIGH_WATER_BYTES))
    throw new RangeError(`maxBufferedBytes must be at least ${HIGH_WATER_BYTES}.`);
  const sockets = new Set<WsSocket>();
  /** Upgrades let in but not yet open (the API key being checked, the handshake under way). */
  let opening = 0;
  let wss: Promise<WsServer> | undefined;
  let closed = false;
  const authenticate: ApiKeyCheck | null =
    options.authenticate ?? (options.apiKey ? createApiKeyCheck(options.apiKey) : null);

  const allowed = options.allowedOrigins;
  const hosts = hostAllowList(options.allowedHosts, options.boundHost);
  const originAllowed = (request: IncomingMessage): boolean => {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    if (allowed === "*") return true;
    if (typeof allowed === "function" ? allowed(origin) : (allowed?.includes(origin) ?? false)) return true;
    // Same-origin counts only for a Host this server answers to: the page's own name in both headers
    // proves nothing once DNS points that name here.
    return hosts(request.headers.host) && sameOrigin(origin, request.headers.host);
  };

  const loadServer = () => {
    wss ??= import("ws").then((mod) => {
      const ctor = (mod.WebSocketServer ?? (mod.default as { WebSocketServer?: unknown }).WebSocketServer) as
        | WsServerConstructor
        | undefined;
      if (!ctor) throw new Error("The `ws` package has no WebSocketServer export.");
      return new ctor({ noServer: true, maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES });
    });
    return wss;
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "");
    if (closed) return refuse(socket, 503, "Service Unavailable", "server_closing", "The server is closing.");
    if (pathname !== path) {
      const notFound = () =>
        refuse(socket, 404, "Not Found", "not_found", `No WebSocket endpoint at ${pathname}; use ${path}.`);
      // On a shared server another listener may own this path (its own WebSocket endpoint): leave the
      // socket to it. But a listener may only be watching (an access log), and Node times out no upgraded
      // socket: one nobody answers within the grace period gets the 404, rather than staying open.
      if (server.listenerCount("upgrade") > 1) {
        const timer = setTimeout(() => {
          const written = (socket as Partial<Socket>).bytesWritten ?? 0;
          if (!socket.destroyed && written === 0 && socket.writable) notFound();
        }, UNCLAIMED_UPGRADE_MS);
        timer.unref?.();
        socket.once("close", () => clearTimeout(timer));
        return;
      }
      return notFound();
    }
    if (!originAllowed(request)) {
      return refuse(
        socket,
        403,
        "Forbidden",
        "origin_not_allowed",
        "WebSocket connections from this origin are not allowed (see the server's cors option).",
      );
    }
    if (sockets.size + opening >= maxConnections) {
      return refuse(
        socket,
        503,
        "Service Unavailable",
        "too_many_connections",
        "The server has as many WebSocket connections as it takes; try again later, or use HTTP.",
      );
    }
    opening++;
    let counted = true;
    const settled = () => {
      if (counted) opening--;
      counted = false;
    };
    void (async () => {
      const denied = authenticate ? await authenticate(toWebRequest(request)) : null;
      if (denied) {
        settled();
        return refuseWith(socket, "Unauthorized", denied);
      }
      accept(request, socket, head, settled);
    })().catch(() => {
      settled();
      refuse(socket, 500, "Internal Server Error", "server_error", "The upgrade failed.");
    });
  };

  const accept = (request: IncomingMessage, socket: Duplex, head: Buffer, settled: () => void) => {
    // close() may have run while the API key was being checked; it may not have had a ws server to close.
    if (closed) {
      settled();
      return refuse(socket, 503, "Service Unavailable", "server_closing", "The server is closing.");
    }
    // A handshake that never completes (the socket closed first) must not hold its place.
    socket.once("close", settled);
    loadServer().then(
      (server) =>
        server.handleUpgrade(request, socket, head, (ws) => {
          settled();
          sockets.add(ws);
          const sender = createSocketSender(ws, {
            highWaterBytes: HIGH_WATER_BYTES,
            maxBufferedBytes,
            stallTimeoutMs: idleTimeoutMs,
          });
          const connection = new ResponsesConnection({
            engine: options.engine,
            store: options.store,
            maxAgeMs,
            idleTimeoutMs,
            send: (text) => sender.send(text),
            close: (code, reason) => ws.close(code, reason),
            headers: toWebRequest(request).headers,
            pause: () => ws.pause(),
            resume: () => ws.resume(),
            maxQueuedMessages: options.maxQueuedMessages,
            maxQueuedChars: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
            limitGraceMs: options.limitGraceMs,
          });
          ws.on("message", (data) => {
            // Binary frames are not part of the protocol; read as text, a bad one gets an error envelope.
            connection.receive(messageText(data));
          });
          ws.on("close", () => {
            sockets.delete(ws);
            sender.dispose();
            connection.dispose();
          });
          ws.on("error", () => {
            connection.dispose();
          });
        }),
      () => {
        settled();
        refuse(socket, 501, "Not Implemented", "websocket_unavailable", "Install the `ws` package.");
      },
    );
  };

  server.on("upgrade", onUpgrade as UpgradeListener);

  return {
    get connections() {
      return sockets.size;
    },
    async close() {
      closed = true;
      server.off("upgrade", onUpgrade as UpgradeListener);
      for (const ws of sockets) ws.close(1001, "server closing");
      const deadline = Date.now() + 2000;
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      if (wss) {
        const server = await wss.catch(() => null);
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      }
    },
  };
}
