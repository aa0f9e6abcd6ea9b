/**
 * `serve`: runs any fetch handler on Node's `node:http`. It converts each `IncomingMessage` into a web
 * `Request` (the body streamed, not buffered) and writes the `Response` back chunk by chunk, waiting for
 * `drain` so a slow client applies backpressure all the way to the model. When the client disconnects,
 * the request's signal aborts and the response body is cancelled, which stops the model.
 *
 * It lives in `src/server/node/`, the only folder of the kit that imports Node built-ins: the handler
 * itself stays web-standard. Its public types are structural (`NodeHttpServer`), so the declarations of
 * `openresponses/server` need no `@types/node`.
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { plainRouteOf } from "../kit/plain-route.js";
import { browserHostGuard } from "./browser-hosts.js";
import { answerClientErrors } from "./client-error.js";
import { plainRequest } from "./plain-request.js";
import { attachForHandler, type ServeWebSocketOptions } from "./serve-websocket.js";
import type { NodeHttpServer } from "./websocket-mode.js";
import { writeAnswer, writeResponse } from "./write-answer.js";

export interface ServeOptions {
  /** A fetch handler, e.g. from `createResponsesHandler`. */
  handler: (request: Request) => Promise<Response>;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1` (loopback only); use `0.0.0.0` to listen on every interface. */
  host?: string;
  /**
   * WebSocket mode on `{basePath}/responses` (rules W1–W9) for a handler from `createResponsesHandler`,
   * sharing its engine, store and API key. On by default; `false` turns it off; an object tunes it
   * (`maxConnectionAgeMs`). Needs the `ws` package, loaded on the first upgrade.
   */
  websocket?: boolean | ServeWebSocketOptions;
  /**
   * Host names the server answers to under a name (e.g. `["chat.example.com"]`), for browser pages
   * (HTTP requests and WebSocket upgrades): besides these, `Host` may be an IP address, `localhost` or
   * `host`. A page whose origin `cors` does not allow and whose Host names another host is refused
   * with 403 (DNS rebinding).
   */
  allowedHosts?: readonly string[];
}

export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:8080` (append `/v1` for a client's `baseURL`). */
  url: string;
  port: number;
  /**
   * The underlying `node:http` server, typed by the few members most callers use so these types need
   * no `@types/node`; cast it (`as import("node:http").Server`) for the rest.
   */
  server: NodeHttpServer;
  /** Stops accepting connections, ends open streams, and resolves when the server is closed. */
  close(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const hosts = {
    boundHost: host,
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
  };
  // Browser requests name an allowed Host, as WebSocket upgrades must (DNS rebinding).
  const guard = browserHostGuard(options.handler, hosts);
  // A kit handler answers its create route without a Request or Response (kit/plain-route.ts). It
  // takes no browser request, so the browser guard has nothing to say about what it answers.
  const plainRoute = plainRouteOf(options.handler);
  const server = createServer((req, res) => {
    const plain = plainRoute?.(plainRequest(req, res));
    // Nothing may escape as an unhandled rejection: on Node 20 that ends the whole process.
    if (plain) {
      // One reaction, not `then` and `catch`: a promise and a turn of the queue fewer per request.
      plain.then(
        (answer) => {
          try {
            writeAnswer(answer, req, res)?.catch(() => res.destroy());
          } catch {
            res.destroy();
          }
        },
        () => res.destroy(),
      );
    } else respond(options.handler, guard, req, res, host).catch(() => res.destroy());
  });
  // Node's own answers to requests it cannot parse (400, 431, 408) get an E1 body too.
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    // A port in use (EADDRINUSE) or a bad host rejects instead of crashing the process.
    const fail = (error: Error) => reject(error);
    server.once("error", fail);
    server.listen(options.port ?? 8080, host, () => {
      server.off("error", fail);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const websocket = attachForHandler(server, options.handler, options.websocket, hosts);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    server,
    // Memoised: a second close() (a test's afterAll plus a signal handler) waits for the first instead
    // of rejecting with ERR_SERVER_NOT_RUNNING.
    close: () => {
      closing ??= (async () => {
        // Upgraded sockets are no longer the HTTP server's connections: close them first.
        await websocket?.close();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // Streams in flight would otherwise keep the server open until they end.
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

async function respond(
  handler: ServeOptions["handler"],
  guard: ((request: Request) => Response | null) | null,
  req: IncomingMessage,
  res: ServerResponse,
  host: string,
): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort(new Error("The client disconnected."));
  });
  let request: Request;
  try {
    request = toRequest(req, controller.signal, host);
  } catch {
    // A request target that does not form a URL, or a method fetch refuses (TRACE), is the client's
    // mistake, not a server failure.
    await writeResponse(
      specError(400, "invalid_request", "The request's method or URL is not valid.", "invalid_request"),
      req,
      res,
    );
    return;
  }
  let response: unknown;
  try {
    response = guard?.(request) ?? (await handler(request));
  } catch {
    response = null;
  }
  // A plain handler that throws, or resolves to something that is not a Response, is a 500.
  const answer = isResponseLike(response)
    ? response
    : specError(500, "server_error", "The server failed to handle the request.", null);
  await writeResponse(answer, req, res);
}

/** Duck-typed, so a Response from another realm or fetch implementation (undici's own) still works. */
function isResponseLike(value: unknown): value is Response {
  const candidate = value as Partial<Response> | null | undefined;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.status === "number" &&
    typeof candidate.headers?.forEach === "function"
  );
}

function specError(status: number, type: string, message: string, code: string | null): Response {
  return new Response(JSON.stringify({ error: { message, type, param: null, code } }), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function toRequest(req: IncomingMessage, signal: AbortSignal, host: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headersDistinct)) {
    for (const entry of value ?? []) headers.append(name, entry);
  }
  const url = new URL(req.url ?? "/", requestOrigin(req.headers.host, host));
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal };
  if (hasBody) {
    init.body = bodyStream(req);
    init.duplex = "half"; // required by undici for a streamed request body
  }
  return new Request(url, init);
}

/** The origin the request was sent to; the listening host when the Host header does not parse. */
function requestOrigin(header: string | undefined, host: string): string {
  const fallback = `http://${host.includes(":") ? `[${host}]` : host}`;
  if (header === undefined || header === "") return fallback;
  try {
    return new URL(`http://${header}`).origin;
  } catch {
    return fallback;
  }
}

/** The request body as a web stream that pauses the socket while the reader is not reading. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => controller.close());
      req.on("error", (error) => controller.error(error));
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      // The handler stopped reading (a body over the size limit): stop reading it too.
      req.pause();
    },
  });
}
