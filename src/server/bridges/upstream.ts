/**
 * How every bridge calls its upstream: one `fetch` with the configured credential (or, opt-in, the
 * caller's own), the caller's abort wired through (a client who leaves aborts the upstream request),
 * a bound on the wait for the upstream's answer, no redirects followed (a credential must not travel to
 * another origin), and every failure turned into a `ModelError` with the status the kit answers with.
 * Web standards only, so a bridge runs wherever the kit runs.
 */

import type { ModelRequest } from "../model.js";
import { upstreamHttpError, upstreamTimeout, upstreamUnreachable } from "./upstream-errors.js";

/** What every bridge's options share: where the upstream is and how to authenticate to it. */
export interface UpstreamOptions {
  /** The upstream's base URL (for Chat Completions, the part before `/chat/completions`). */
  baseURL?: string;
  /** The upstream's API key. `undefined`, `null` and `""` mean none (a local server, say). */
  apiKey?: string | null | undefined;
  /**
   * Send the caller's own key upstream: the credential of the caller's `Authorization: Bearer <key>`
   * (or `api-key`) header, in the header the upstream expects. Used when the caller sent one, else
   * `apiKey`. Off by default. Do not combine with the handler's own `apiKey` check, which would send
   * the handler's key upstream.
   */
  forwardAuthorization?: boolean;
  /** Extra headers on every upstream request (an organisation id, a gateway's routing header). */
  headers?: Record<string, string>;
  /** The fetch to use; default the global one. */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /**
   * Milliseconds to wait for the upstream's answer to begin (status and headers); past it the request
   * is aborted and the caller gets 504 `upstream_timeout`. The stream itself may then last as long as
   * the upstream streams. Default 600000 (ten minutes, as the `openai` SDK).
   */
  timeoutMs?: number;
}

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;

/** A bridge's fixed facts about its upstream. */
export interface UpstreamTarget {
  /** A name for messages: "the Chat Completions upstream", "Anthropic". Never the URL (it may hold a key). */
  name: string;
  /** The credential as headers (`Authorization: Bearer …`, `x-api-key: …`). */
  authHeaders(key: string): Record<string, string>;
}

/** One upstream exchange whose status was 2xx; `close()` aborts it (idempotent). */
export interface UpstreamCall {
  response: Response;
  close(): void;
}

/**
 * POSTs `body` as JSON to `url` and resolves once the upstream answered with a 2xx status. A non-2xx
 * answer, an unreachable upstream, a timeout and a redirect reject with a `ModelError`; the caller's
 * abort rejects with the signal's reason.
 */
export async function postUpstream(
  url: string,
  body: unknown,
  options: UpstreamOptions,
  target: UpstreamTarget,
  request: Pick<ModelRequest, "signal" | "headers">,
): Promise<UpstreamCall> {
  const key = upstreamKey(options, request.headers);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "text/event-stream, application/json",
    ...options.headers,
    ...(key === null ? {} : target.authHeaders(key)),
  };
  const secrets = key === null ? [] : [key];
  const controller = new AbortController();
  const onAbort = () => controller.abort(request.signal.reason);
  if (request.signal.aborted) onAbort();
  else request.signal.addEventListener("abort", onAbort, { once: true });
  const close = () => {
    request.signal.removeEventListener("abort", onAbort);
    if (!controller.signal.aborted) controller.abort(new Error("The upstream request was closed."));
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("The upstream did not answer in time."));
  }, timeoutMs);
  const fetcher = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetcher(url, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: controller.signal,
      redirect: "manual",
    });
  } catch (error) {
    close();
    if (request.signal.aborted) throw request.signal.reason;
    if (timedOut) throw upstreamTimeout(target.name, timeoutMs);
    throw upstreamUnreachable(target.name, error, secrets);
  } finally {
    clearTimeout(timer);
  }
  if (response.status < 200 || response.status > 299) {
    try {
      throw await upstreamHttpError(target.name, response, secrets);
    } finally {
      close();
    }
  }
  return { response, close };
}

/** The key to send: the caller's when forwarding is on and the caller sent one, else the configured one. */
export function upstreamKey(options: UpstreamOptions, headers: Headers | undefined): string | null {
  if (options.forwardAuthorization === true && headers !== undefined) {
    const forwarded = callerKey(headers);
    if (forwarded !== null) return forwarded;
  }
  return typeof options.apiKey === "string" && options.apiKey !== "" ? options.apiKey : null;
}

function callerKey(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  const header = headers.get("api-key")?.trim();
  return header ? header : null;
}

/** `base` + `path` with exactly one slash between them. */
export function joinURL(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** `Authorization: Bearer <key>`, the scheme of OpenAI-compatible servers. */
export const bearerAuth = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
