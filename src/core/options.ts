/** Client-wide and per-request options, and their defaults. */

import type { Logger, LogLevel } from "./logger.js";
import type { RetryTiming } from "./retry.js";

/** The subset of `fetch` the client calls, so that any compatible implementation can be injected. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Extra `fetch` init fields, passed to every call of `fetch` as they are: `credentials`, `cache`,
 * `keepalive`, `redirect`, `mode`, a runtime's own (`dispatcher` for undici in Node, `proxy` in Bun, ...).
 * The method, headers, body and signal are the client's (use `headers` and `signal` for yours).
 */
export type FetchOptions = Omit<RequestInit, "method" | "headers" | "body" | "signal"> & {
  readonly [field: string]: unknown;
};

/** A key, or a function resolving one per request (token refresh, a secret store...). */
export type ApiKeySource = string | (() => string | Promise<string>);

/** Header values; `null` or `undefined` on a per-request header removes a default one. */
export type HeaderValues = Record<string, string | null | undefined>;

export interface ClientOptions {
  /** See the base URL rule in `base-url.ts`. Falls back to `OPENRESPONSES_BASE_URL`, then the OpenAI URL. */
  baseURL?: string | null;
  /**
   * Falls back to `OPENRESPONSES_API_KEY` (`undefined` too, so `apiKey: process.env.KEY` works as written).
   * Without a key no auth header is sent (local servers).
   */
  apiKey?: ApiKeySource | null | undefined;
  /** Header that carries the key. Default `Authorization`. */
  authHeader?: string;
  /**
   * Scheme written before the key. Default `Bearer` when `authHeader` is `Authorization`, else none
   * (`api-key: K`). Pass `null` or `""` to send the bare key.
   */
  authScheme?: string | null;
  /** Sent with every request (per-request `headers` win). */
  defaultHeaders?: HeaderValues;
  /** Query parameters added to every request URL (for gateways that want `?api-version=...`). */
  defaultQuery?: Record<string, string | undefined>;
  /** Custom fetch (a proxy agent, a test double, an edge runtime's fetch). Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Extra fetch init fields for every request (per-request `fetchOptions` are laid over them). */
  fetchOptions?: FetchOptions;
  /**
   * Milliseconds. JSON requests: connect + whole body. Streams: connect + headers, and then the longest
   * silence allowed between two chunks. Default 10 minutes.
   */
  timeout?: number;
  /**
   * Milliseconds for the whole call, retries and waits between them included, and for a stream until
   * its last byte — on top of `timeout` (which, for a stream, bounds each silence). Past it the request is
   * cancelled: `APIConnectionTimeoutError`, or for a stream already under way a `ResponseStreamError`
   * (kind `interrupted`, the timeout error as its `cause`) carrying the partial response. Default none
   * (`Infinity`).
   */
  totalTimeout?: number;
  /**
   * The most bytes one streamed response may carry (the SSE body, or a WebSocket turn's messages counted
   * in characters) before the stream is cancelled with a `ResponseTooLargeError` holding the partial
   * response. Default 256 MiB (`DEFAULT_MAX_RESPONSE_BYTES`), far above any real response.
   */
  maxResponseBytes?: number;
  /**
   * The most bytes a JSON answer body may have (a success body, or the body of an error answer, which is
   * cut there rather than failing) before the request is cancelled with a `ResponseTooLargeError`.
   * Default 256 MiB (`DEFAULT_CLIENT_MAX_BODY_BYTES`).
   */
  maxBodyBytes?: number;
  /**
   * The largest single event a stream accepts: one SSE event (counted in characters, the same as bytes
   * for ASCII JSON), or one WebSocket message (the socket itself refuses a larger one). Past it the
   * stream fails with a `ResponseStreamError` of kind `"malformed"`. Default 64 MiB
   * (`DEFAULT_MAX_EVENT_SIZE`), room for a `response.completed` that repeats large outputs; an event is
   * never allowed past `maxResponseBytes` either.
   */
  maxEventBytes?: number;
  /**
   * Names of `defaultHeaders` (and per-request `headers`) that are credentials besides the auth header:
   * they are scrubbed from errors and logs, and never sent to another origin on a redirect. Names that
   * look like credentials (`authorization`, `api-key`, `*token*`, `*secret*`, `cookie`...) count without
   * being listed.
   */
  secretHeaders?: readonly string[];
  /** Retries after the first attempt on connection errors, 408, 409, 429 and 5xx. Default 2. */
  maxRetries?: number;
  /** Backoff tuning; the defaults suit real servers, tests shrink them. */
  retryTiming?: Partial<RetryTiming>;
  /** Default protocol-checker mode for streams: `true` throws `ProtocolError` on a rule violation. */
  strict?: boolean;
  /** Default `warn`, or `OPENRESPONSES_LOG` when set. */
  logLevel?: LogLevel;
  /** Where log lines go. Default `console`. Everything passed to it is redacted first. */
  logger?: Logger;
}

export interface RequestOptions {
  /** Aborts the request (and the stream); rejects with `APIUserAbortError`. */
  signal?: AbortSignal | null;
  /** Overrides the client's `timeout` for this request. */
  timeout?: number;
  /** Extra headers; a `null` value removes a default header. */
  headers?: HeaderValues;
  /** Overrides the client's `maxRetries` for this request. */
  maxRetries?: number;
  /** Overrides the client's `totalTimeout` for this request (ms, retries and the whole stream included). */
  totalTimeout?: number;
  /** Overrides the client's `maxResponseBytes` for this request (streams). */
  maxResponseBytes?: number;
  /** Overrides the client's `maxEventBytes` for this request (streams). */
  maxEventBytes?: number;
  /** Overrides the client's `maxBodyBytes` for this request (JSON bodies). */
  maxBodyBytes?: number;
  /** Sent as `Idempotency-Key` on every attempt; generated once per call when absent. */
  idempotencyKey?: string;
  /** Extra query parameters for this request. */
  query?: Record<string, string | undefined>;
  /** Streams only: overrides the client's `strict`. */
  strict?: boolean;
  /** Extra fetch init fields for this request, laid over the client's `fetchOptions`. */
  fetchOptions?: FetchOptions;
  /**
   * Fields laid over the JSON body as they are, for a one-off field no type knows (a provider's
   * extension). To type such fields for every call instead, declare them on `ExtraRequestFields`.
   */
  extraBody?: Record<string, unknown>;
}

/** Used when neither `baseURL` nor `OPENRESPONSES_BASE_URL` is set, as in the `openai` SDK. */
export const DEFAULT_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_RETRIES = 2;
/** 256 MiB: the default `maxResponseBytes`. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/** 256 MiB: the default `maxBodyBytes`. */
export const DEFAULT_CLIENT_MAX_BODY_BYTES = 256 * 1024 * 1024;
/** Error answers are read up to this many bytes (or `maxBodyBytes`, if smaller), then cut. */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;
