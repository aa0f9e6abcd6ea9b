/**
 * Finding a WebSocket implementation without making one a dependency: a constructor the user passes,
 * else on Node the `ws` package (loaded on demand; the only implementation whose limits the client can
 * set: the largest message and no compression), else the platform's (browsers, Deno, Bun, Node without
 * `ws`; on Cloudflare Workers a `fetch` upgrade, which can carry headers). The client core imports
 * nothing at module load, so it stays dependency-free.
 */

import { APIConnectionError } from "../errors.js";

/** The part of the WHATWG WebSocket interface the session uses; `ws` and every platform provide it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "close" | "error", listener: (event: never) => void): void;
}

/**
 * A WebSocket class. A user-supplied one is called as `new WebSocket(url, protocols, { headers })`,
 * the signature of the `ws` package; any extra argument is ignored by classes that do not take it.
 */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string>; maxPayload?: number; perMessageDeflate?: boolean },
) => WebSocketLike;

/**
 * The `ws` options for a client socket: the upgrade headers, the largest message, and no
 * permessage-deflate (a small compressed frame could otherwise inflate to the message limit, or to `ws`'s
 * default of 100 MiB, before anything sees it).
 */
function wsOptions(headers: Record<string, string>, limits: SocketLimits | undefined) {
  return {
    headers,
    perMessageDeflate: false,
    ...(limits ? { maxPayload: limits.maxPayload } : {}),
  };
}

/** True on Node itself (not Bun or Deno, which have their own WebSocket and their own `ws` stand-ins). */
function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: unknown } }; Bun?: unknown; Deno?: unknown };
  return typeof g.process?.versions?.node === "string" && g.Bun === undefined && g.Deno === undefined;
}

/**
 * The socket's own limits, from the client's bounds. Only `ws` (and a user class with its constructor
 * signature) can take them; a platform WebSocket keeps its own, and the session checks each message
 * after it arrived instead.
 */
export interface SocketLimits {
  /** The largest message, in bytes (`ws`'s `maxPayload`, checked before the message is buffered whole). */
  maxPayload: number;
}

/** How a socket is opened: the constructor, and how headers reach it (or that they cannot). */
export interface SocketFactory {
  open(
    url: string,
    headers: Record<string, string>,
    protocols: string[] | undefined,
    limits?: SocketLimits,
  ): WebSocketLike;
  /** False in browsers: the WebSocket API there has no way to set request headers. */
  readonly canSendHeaders: boolean;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
export const SOCKET_OPEN_STATE = OPEN;

/** True where `WebSocket` is the browser's: a page or a worker, where headers cannot be set. */
function isBrowserLike(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  return typeof g.document !== "undefined" || typeof g.WorkerGlobalScope !== "undefined";
}

/**
 * True on Cloudflare Workers (workerd): there a client WebSocket is opened with `fetch()` and an
 * `Upgrade: websocket` header, and the response carries the socket, so request headers (the API key)
 * can be sent, unlike with its browser-style `WebSocket` constructor.
 */
function hasFetchUpgrade(): boolean {
  const g = globalThis as { navigator?: { userAgent?: unknown }; Response?: { prototype?: object } };
  if (g.navigator?.userAgent === "Cloudflare-Workers") return true;
  const prototype = g.Response?.prototype;
  return typeof prototype === "object" && prototype !== null && "webSocket" in prototype;
}

let wsModule: Promise<WebSocketConstructor> | undefined;

/** Loads the `ws` package once; a clear error says what to do when it is not installed. */
function loadWs(): Promise<WebSocketConstructor> {
  // `#ws` is this package's own import map (package.json "imports"): the `ws` package under the "node"
  // condition, an empty stand-in for browsers, Workers and edge bundles, which have a global WebSocket.
  // A literal specifier, so bundlers that reject computed imports (miniflare, webpack) accept the client.
  wsModule ??= import("#ws").then((mod: unknown) => {
    const exports = mod as { WebSocket?: WebSocketConstructor | null; default?: WebSocketConstructor | null };
    const ctor = exports.WebSocket ?? exports.default;
    if (!ctor) throw new Error("no WebSocket class here (the stand-in for `ws` outside Node)");
    return ctor;
  });
  wsModule = wsModule.catch((cause: unknown) => {
    wsModule = undefined;
    throw new APIConnectionError(
      "This runtime has no global WebSocket. Install the `ws` package (npm install ws) or pass a " +
        "`WebSocket` constructor in the connect() options.",
      { cause },
    );
  });
  return wsModule;
}

/** Picks the implementation, in the order the module comment gives. */
export async function resolveSocketFactory(userConstructor?: WebSocketConstructor): Promise<SocketFactory> {
  if (userConstructor) {
    return {
      canSendHeaders: true,
      open: (url, headers, protocols, limits) =>
        new userConstructor(url, protocols, wsOptions(headers, limits)),
    };
  }
  const platform = (globalThis as { WebSocket?: unknown }).WebSocket as
    | (new (
        url: string,
        protocolsOrInit?: unknown,
      ) => WebSocketLike)
    | undefined;
  if (hasFetchUpgrade()) {
    return {
      canSendHeaders: true,
      open: (url, headers, protocols) => new FetchUpgradedSocket(url, headers, protocols),
    };
  }
  if (platform && isBrowserLike()) {
    return { canSendHeaders: false, open: (url, _headers, protocols) => new platform(url, protocols) };
  }
  if (isNode() || !platform) {
    // `ws` is a dependency of the package, so on Node it is there unless a bundle left it out.
    const ws = await loadWs().catch(() => null);
    if (ws) {
      return {
        canSendHeaders: true,
        open: (url, headers, protocols, limits) => new ws(url, protocols, wsOptions(headers, limits)),
      };
    }
  }
  if (platform) {
    // Bun, Deno and Node without `ws` (undici) take an init object with `headers` as the second argument.
    return {
      canSendHeaders: true,
      open: (url, headers, protocols) => new platform(url, { headers, protocols: protocols ?? [] }),
    };
  }
  // Neither: the error says to install `ws` or pass a constructor.
  await loadWs();
  throw new APIConnectionError("No WebSocket implementation could be loaded.");
}

/** The socket a Workers `fetch` upgrade returns: it must be accepted before use, and fires no `open`. */
interface AcceptableWebSocket extends WebSocketLike {
  accept(): void;
}

type Listener = (event: never) => void;

/**
 * A `WebSocketLike` over a Workers `fetch` upgrade, so the session treats it like any other socket:
 * connecting while the upgrade request is in flight, then the accepted socket's own state and events.
 * A refused upgrade is reported as `ws` reports one ("Unexpected server response: 401"), so the session
 * turns a 401 into an `AuthenticationError` here too.
 */
class FetchUpgradedSocket implements WebSocketLike {
  #socket: AcceptableWebSocket | null = null;
  #closed = false;
  readonly #listeners: Array<[type: string, listener: Listener]> = [];
  readonly #abort = new AbortController();

  constructor(url: string, headers: Record<string, string>, protocols: string[] | undefined) {
    this.#upgrade(url, headers, protocols).catch((error: unknown) => {
      if (this.#closed) return;
      this.#closed = true;
      const message = error instanceof Error ? error.message : String(error);
      this.#emit("error", { message, error });
      this.#emit("close", { code: 1006, reason: "" });
    });
  }

  get readyState(): number {
    if (this.#socket) return this.#socket.readyState;
    return this.#closed ? CLOSED : CONNECTING;
  }

  send(data: string): void {
    if (!this.#socket) throw new Error("The WebSocket is not open.");
    this.#socket.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.#socket) {
      this.#socket.close(code, reason);
      return;
    }
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    this.#emit("close", { code: code ?? 1005, reason: reason ?? "" });
  }

  addEventListener(type: "open" | "message" | "close" | "error", listener: Listener): void {
    this.#listeners.push([type, listener]);
    this.#socket?.addEventListener(type, listener);
  }

  #emit(type: string, event: object): void {
    for (const [kind, listener] of this.#listeners)
      if (kind === type) (listener as (e: object) => void)(event);
  }

  async #upgrade(url: string, headers: Record<string, string>, protocols: string[] | undefined) {
    const upgradeHeaders: Record<string, string> = { ...headers, Upgrade: "websocket" };
    if (protocols && protocols.length > 0) upgradeHeaders["Sec-WebSocket-Protocol"] = protocols.join(", ");
    // fetch() takes http(s) URLs; the upgrade header makes it a WebSocket handshake.
    const response = await fetch(url.replace(/^ws(s?):/i, "http$1:"), {
      headers: upgradeHeaders,
      signal: this.#abort.signal,
    });
    const socket = (response as Response & { webSocket?: AcceptableWebSocket | null }).webSocket;
    if (!socket) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`Unexpected server response: ${response.status}`);
    }
    socket.accept();
    if (this.#closed) {
      socket.close(1000, "closed while opening");
      return;
    }
    this.#socket = socket;
    for (const [type, listener] of this.#listeners) {
      socket.addEventListener(type as "open" | "message" | "close" | "error", listener);
    }
    // An accepted socket is already open and fires no `open` event of its own.
    this.#emit("open", {});
  }
}

/** Text of a message event, whatever form the implementation delivers it in. */
export function messageText(data: unknown): string | null {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return null;
}
