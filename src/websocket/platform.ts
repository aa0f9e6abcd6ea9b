/**
 * Finding a WebSocket implementation without making one a dependency: a constructor the user passes,
 * else the platform's (browsers, Deno, Bun, Node 22+), else the `ws` package loaded on demand (Node 20).
 * The client core imports nothing at module load, so it stays dependency-free.
 */

import { APIConnectionError, OpenResponsesError } from "../errors.js";

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
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

/** How a socket is opened: the constructor, and how headers reach it (or that they cannot). */
export interface SocketFactory {
  open(url: string, headers: Record<string, string>, protocols: string[] | undefined): WebSocketLike;
  /** False in browsers: the WebSocket API there has no way to set request headers. */
  readonly canSendHeaders: boolean;
}

const OPEN = 1;
export const SOCKET_OPEN_STATE = OPEN;

/** True where `WebSocket` is the browser's: a page or a worker, where headers cannot be set. */
function isBrowserLike(): boolean {
  const g = globalThis as {
    document?: unknown;
    WorkerGlobalScope?: unknown;
    navigator?: { product?: string };
  };
  return typeof g.document !== "undefined" || typeof g.WorkerGlobalScope !== "undefined";
}

let wsModule: Promise<WebSocketConstructor> | undefined;

/** Loads the `ws` package once; a clear error says what to do when it is not installed. */
function loadWs(): Promise<WebSocketConstructor> {
  // A computed specifier, so browser bundlers do not try to resolve `ws` for code that never runs there.
  const specifier = ["w", "s"].join("");
  wsModule ??= import(/* webpackIgnore: true */ /* @vite-ignore */ specifier).then(
    (mod: { WebSocket?: WebSocketConstructor; default?: WebSocketConstructor }) => {
      const ctor = mod.WebSocket ?? mod.default;
      if (!ctor) throw new OpenResponsesError("The `ws` package did not export a WebSocket class.");
      return ctor;
    },
    (cause: unknown) => {
      wsModule = undefined;
      throw new APIConnectionError(
        "This runtime has no global WebSocket. Install the `ws` package (npm install ws) or pass a " +
          "`WebSocket` constructor in the connect() options.",
        { cause },
      );
    },
  );
  return wsModule;
}

/** Picks the implementation, in the order the module comment gives. */
export async function resolveSocketFactory(userConstructor?: WebSocketConstructor): Promise<SocketFactory> {
  if (userConstructor) {
    return {
      canSendHeaders: true,
      open: (url, headers, protocols) => new userConstructor(url, protocols, { headers }),
    };
  }
  const platform = (globalThis as { WebSocket?: unknown }).WebSocket as
    | (new (
        url: string,
        protocolsOrInit?: unknown,
      ) => WebSocketLike)
    | undefined;
  if (platform) {
    if (isBrowserLike()) {
      return { canSendHeaders: false, open: (url, _headers, protocols) => new platform(url, protocols) };
    }
    // Node 22+ (undici), Bun and Deno take an init object with `headers` as the second argument.
    return {
      canSendHeaders: true,
      open: (url, headers, protocols) => new platform(url, { headers, protocols: protocols ?? [] }),
    };
  }
  const ws = await loadWs();
  return { canSendHeaders: true, open: (url, headers, protocols) => new ws(url, protocols, { headers }) };
}

/** Text of a message event, whatever form the implementation delivers it in. */
export function messageText(data: unknown): string | null {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  return null;
}
