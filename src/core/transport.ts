/**
 * The HTTP transport: URL, auth, headers, timeouts, abort and retries. It hands back an accepted
 * `Response` (2xx) or throws a typed error; it never looks at what the body means.
 */

import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenResponsesError,
  RedirectError,
  ResponseStreamError,
} from "../errors.js";
import { isSecretHeaderName, redactError, redactSecrets, registerSecret } from "../internal/redact.js";
import { buildURL, stripCredentials } from "./base-url.js";
import { discard, readBodyCut, readBodyWithin } from "./body.js";
import { buildAPIError, headersToRecord, requestIdFrom } from "./http-errors.js";
import type { Logger } from "./logger.js";
import {
  type ApiKeySource,
  type FetchLike,
  type FetchOptions,
  type HeaderValues,
  MAX_ERROR_BODY_BYTES,
  type RequestOptions,
} from "./options.js";
import { type RetryTiming, retryDelay, serverRequestedDelay, shouldRetryResponse } from "./retry.js";

export interface TransportConfig {
  baseURL: string;
  authHeader: string;
  authScheme: string;
  defaultHeaders: HeaderValues;
  defaultQuery: Record<string, string | undefined>;
  fetch: FetchLike;
  /** Laid under every fetch init (the request's own `fetchOptions` win, the client's fields win over both). */
  fetchOptions?: FetchOptions;
  timeout: number;
  /** Milliseconds for a whole call (retries and the stream included); `Infinity` for none. */
  totalTimeout: number;
  /** Streams: the most bytes of one response (`ResponseStream`'s `maxResponseBytes`). */
  maxResponseBytes: number;
  /** Streams: the largest single event (SSE event or WebSocket message). */
  maxEventBytes: number;
  /** JSON answers: the most bytes of the body. */
  maxBodyBytes: number;
  /**
   * Lower-case names of headers that are credentials (the auth header, `authorization`, `cookie`, the
   * `secretHeaders` option...): never sent to another origin than the base URL's.
   */
  secretHeaders: ReadonlySet<string>;
  maxRetries: number;
  retryTiming: RetryTiming;
  logger: Logger;
}

/** The most redirects followed for one request (as fetch does). */
const MAX_REDIRECTS = 20;

/** Header names that are credentials by their look, whatever the configuration says. */
export interface TransportRequest {
  method: "GET" | "POST" | "DELETE";
  path: string;
  body?: unknown;
  /** Asks for `text/event-stream`; after the headers, the timeout becomes an idle timeout per chunk. */
  stream: boolean;
  options?: RequestOptions;
}

/** What reads a body: a stream's default reader has these two methods. */
export type BodyReader = Pick<ReadableStreamDefaultReader<Uint8Array>, "read" | "cancel">;

/** An accepted stream. */
export interface TransportResult {
  /**
   * The body under the idle timeout, for the stream engine (no stream in between); null when the answer
   * has no body. Read either this or `response`, not both.
   */
  reader: BodyReader | null;
  /** A copy of the answer whose body is `reader` (made when first asked for): to hand the body out. */
  readonly response: Response;
  /** The answer as fetch returned it (status, headers, url); its body is locked by `response`. */
  httpResponse: Response;
  requestId: string | null;
  url: string;
  /** Aborts the in-flight request or stream as a user abort. */
  abort: (reason?: unknown) => void;
}

/** JSON answers: the parsed body plus what `withResponse()` exposes. */
export interface JSONResult<T> {
  data: T;
  response: Response;
  requestId: string | null;
  /** The body as received, for `asResponse()`. */
  text: string;
}

// Markers given to `AbortController.abort()` so that a rejection can be traced to its cause.
class TimeoutReason {}
class TotalTimeoutReason {}
class UserAbortReason {
  constructor(readonly reason: unknown) {}
}

export class Transport {
  // A private field, so that `console.log(client)` or a serialiser never prints the key.
  readonly #apiKey: ApiKeySource | null;

  constructor(
    readonly config: TransportConfig,
    apiKey: ApiKeySource | null,
  ) {
    this.#apiKey = apiKey;
    if (typeof apiKey === "string") registerSecret(apiKey);
  }

  /** Sends a request and parses its JSON answer; the timeout covers the whole body. */
  async requestJSON<T>(request: Omit<TransportRequest, "stream">): Promise<JSONResult<T>> {
    const maxBodyBytes = this.maxBodyBytes(request.options);
    return this.send(request, false, async (response) => {
      const text = await readBodyWithin(response, maxBodyBytes);
      const requestId = requestIdFrom(response.headers);
      try {
        return { data: JSON.parse(text) as T, response, requestId, text };
      } catch (cause) {
        throw new APIError(
          `${response.status} The server answered with a body that is not JSON (${describeBody(text)}).`,
          {
            status: response.status,
            headers: headersToRecord(response.headers),
            body: redactSecrets(text.slice(0, 2000)),
            requestId,
            // JSON.parse quotes the body in its message (all of it, when it is short).
            cause: redactError(cause),
          },
        );
      }
    });
  }

  /** The `maxBodyBytes` in force for a request. */
  maxBodyBytes(options: RequestOptions | undefined): number {
    return options?.maxBodyBytes ?? this.config.maxBodyBytes;
  }

  /** The `maxResponseBytes` in force for a request. */
  maxResponseBytes(options: RequestOptions | undefined): number {
    return options?.maxResponseBytes ?? this.config.maxResponseBytes;
  }

  /** The `maxEventBytes` in force for a request: never more than its `maxResponseBytes`. */
  maxEventBytes(options: RequestOptions | undefined): number {
    return Math.min(options?.maxEventBytes ?? this.config.maxEventBytes, this.maxResponseBytes(options));
  }

  /** Sends a request whose answer is a stream; returns once the headers are accepted. */
  async requestStream(request: Omit<TransportRequest, "stream">): Promise<TransportResult> {
    return this.send(request, true, async (response, url, attempt) => {
      const reader = attempt.streamBody(response);
      let wrapped: Response | undefined;
      return {
        reader,
        get response() {
          wrapped ??= reader === null ? response : readerResponse(reader, response);
          return wrapped;
        },
        httpResponse: response,
        requestId: requestIdFrom(response.headers),
        url,
        abort: attempt.abort,
      };
    });
  }

  private async send<R>(
    request: Omit<TransportRequest, "stream">,
    stream: boolean,
    accept: (response: Response, url: string, attempt: Attempt) => Promise<R>,
  ): Promise<R> {
    const options = request.options ?? {};
    const signal = options.signal ?? undefined;
    if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });

    const url = buildURL(this.config.baseURL, request.path, {
      ...this.config.defaultQuery,
      ...options.query,
    });
    const safeURL = stripCredentials(url);
    const headers = await this.buildHeaders(request, stream, options);
    const body = request.body === undefined ? undefined : serializeBody(request.body);
    const maxRetries = Math.max(0, Math.floor(options.maxRetries ?? this.config.maxRetries));
    const timeout = options.timeout ?? this.config.timeout;
    const totalTimeout = options.totalTimeout ?? this.config.totalTimeout;
    const deadline =
      Number.isFinite(totalTimeout) && totalTimeout > 0
        ? Date.now() + totalTimeout
        : Number.POSITIVE_INFINITY;
    const errorBodyBytes = Math.min(MAX_ERROR_BODY_BYTES, this.maxBodyBytes(options));
    const { logger } = this.config;

    for (let attemptIndex = 0; ; attemptIndex++) {
      const attempt = new Attempt(signal, timeout, safeURL, { deadline, totalTimeout });
      logger.debug(`${request.method} ${safeURL}${attemptIndex > 0 ? ` (retry ${attemptIndex})` : ""}`, {
        headers: Object.fromEntries(headers.entries()),
      });
      let response: Response;
      try {
        response = await this.fetchFollowingRedirects(url, request.method, headers, body, attempt.signal, {
          ...this.config.fetchOptions,
          ...options.fetchOptions,
        });
      } catch (error) {
        attempt.finish();
        const translated = attempt.translate(error, safeURL);
        // Only failures to get an answer at all are worth another attempt; an abort never is.
        const retryable = translated instanceof APIConnectionError;
        if (!retryable || attemptIndex >= maxRetries) throw this.giveUp(request.method, safeURL, translated);
        await this.waitBeforeRetry(
          request.method,
          safeURL,
          translated,
          attemptIndex,
          maxRetries,
          undefined,
          signal,
          deadline,
        );
        continue;
      }

      if (response.ok) {
        logger.debug(`${response.status} from ${request.method} ${safeURL}`);
        // Past this point the answer is accepted: whatever happens to its body is never retried.
        try {
          const result = await accept(response, safeURL, attempt);
          if (!stream) attempt.finish();
          return result;
        } catch (error) {
          attempt.finish();
          throw this.giveUp(request.method, safeURL, attempt.translate(error, safeURL));
        }
      }

      let error: OpenResponsesError;
      try {
        const text = await readBodyCut(response, errorBodyBytes).catch(() => "");
        error = buildAPIError(response.status, response.statusText, response.headers, text);
      } catch (cause) {
        error = attempt.translate(cause, safeURL);
      }
      attempt.finish();
      // An abort while the error body was being read wins over the half-read error.
      if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });
      if (error instanceof APIUserAbortError) throw error;
      if (!shouldRetryResponse(response.status, response.headers) || attemptIndex >= maxRetries) {
        throw this.giveUp(request.method, safeURL, error);
      }
      await this.waitBeforeRetry(
        request.method,
        safeURL,
        error,
        attemptIndex,
        maxRetries,
        response.headers,
        signal,
        deadline,
      );
    }
  }

  /**
   * fetch with `redirect: "manual"`, following redirects here so that no credential leaves the base URL's
   * origin: a hop to another origin is sent without any secret header (see `secretHeaders`), and a hop
   * back to the base URL's origin carries them again. A redirect that would turn the method into a GET
   * (301/302/303 on a POST, 303 on a DELETE) is a `RedirectError`, never a silent GET whose answer would
   * be taken as the result. Browsers hide a manual redirect's target, so there any redirect is an error.
   */
  private async fetchFollowingRedirects(
    url: string,
    method: TransportRequest["method"],
    headers: Headers,
    body: string | undefined,
    signal: AbortSignal,
    fetchOptions: FetchOptions,
  ): Promise<Response> {
    const origin = new URL(url).origin;
    let target = url;
    let withoutSecrets: Headers | undefined;
    for (let hop = 0; ; hop++) {
      const sameOrigin = hop === 0 || new URL(target).origin === origin;
      if (!sameOrigin && withoutSecrets === undefined) withoutSecrets = this.withoutSecrets(headers);
      const response = await this.config.fetch(target, {
        ...fetchOptions,
        method,
        headers: sameOrigin ? headers : (withoutSecrets as Headers),
        body,
        signal,
        redirect: "manual",
      });
      if (response.type === "opaqueredirect") {
        throw new RedirectError(
          `${method} ${stripCredentials(target)} was redirected, and this runtime (a browser) does not let the client see where to; set baseURL to the final address.`,
          { status: response.status, location: null },
        );
      }
      const location = isRedirectStatus(response.status) ? response.headers.get("location") : null;
      if (location === null) return response;
      await discard(response);
      const next = resolveLocation(location, target);
      const shown = next === null ? location : stripCredentials(next);
      const init = {
        status: response.status,
        headers: headersToRecord(response.headers),
        requestId: requestIdFrom(response.headers),
        location: shown,
      };
      if (next === null) {
        throw new RedirectError(
          `${response.status} redirect to ${JSON.stringify(shown)}, which is not an http(s) URL.`,
          init,
        );
      }
      if (changesMethod(response.status, method)) {
        throw new RedirectError(
          `${response.status} redirect to ${shown}: following it would turn the ${method} into a GET, so it is not followed; set baseURL to the final address (or have the server answer 307/308).`,
          init,
        );
      }
      if (hop >= MAX_REDIRECTS) {
        throw new RedirectError(`More than ${MAX_REDIRECTS} redirects; the last one to ${shown}.`, init);
      }
      this.config.logger.debug(`${response.status} redirect of ${method} to ${shown}`);
      target = next;
    }
  }

  /** A copy of `headers` without any credential. */
  private withoutSecrets(headers: Headers): Headers {
    const copy = new Headers();
    headers.forEach((value, name) => {
      if (!this.isSecretHeader(name)) copy.set(name, value);
    });
    return copy;
  }

  private isSecretHeader(name: string): boolean {
    const lower = name.toLowerCase();
    return (
      lower === this.config.authHeader.toLowerCase() ||
      this.config.secretHeaders.has(lower) ||
      isSecretHeaderName(lower)
    );
  }

  private giveUp(method: string, safeURL: string, error: OpenResponsesError): OpenResponsesError {
    // The caller receives the error itself, so this is only a trace line, not an `error` log.
    if (!(error instanceof APIUserAbortError))
      this.config.logger.info(`${method} ${safeURL} failed: ${error.message}`);
    return error;
  }

  private async waitBeforeRetry(
    method: string,
    safeURL: string,
    error: OpenResponsesError,
    attemptIndex: number,
    maxRetries: number,
    headers: Headers | undefined,
    signal: AbortSignal | undefined,
    deadline: number,
  ): Promise<void> {
    const delay = retryDelay(attemptIndex, headers, this.config.retryTiming);
    // A retry that could not even start within the total timeout is not made: the last failure is the answer.
    if (Date.now() + delay >= deadline) throw this.giveUp(method, safeURL, error);
    const requested = serverRequestedDelay(headers);
    if (requested !== undefined && requested > delay) {
      this.config.logger.warn(
        `${safeURL} asked to wait ${Math.round(requested)} ms before retrying; waiting the cap of ${delay} ms instead`,
      );
    }
    this.config.logger.info(
      `${method} ${safeURL} failed (${error.message}); retry ${attemptIndex + 1} of ${maxRetries} ` +
        `in ${Math.round(delay)} ms`,
    );
    await sleep(delay, signal);
  }

  private async buildHeaders(
    request: Omit<TransportRequest, "stream">,
    stream: boolean,
    options: RequestOptions,
  ): Promise<Headers> {
    const headers = new Headers();
    headers.set("accept", stream ? "text/event-stream" : "application/json");
    if (request.body !== undefined) headers.set("content-type", "application/json");

    const key = await this.resolveApiKey();
    if (key) setAuthHeader(headers, this.config.authHeader, this.config.authScheme, key);
    // One key per logical request: every retry of this POST carries the same one, so the server can
    // deduplicate an attempt that did reach it before the connection dropped.
    if (request.method === "POST") {
      headers.set("idempotency-key", options.idempotencyKey ?? randomId());
    }
    applyHeaders(headers, this.config.defaultHeaders);
    applyHeaders(headers, options.headers);
    return headers;
  }

  /**
   * The auth header and the default headers, for a connection that does not go through fetch (the
   * WebSocket upgrade of `responses.connect()`), so a socket carries the credentials an HTTP request would.
   */
  async connectionHeaders(): Promise<Record<string, string>> {
    const headers = new Headers();
    const key = await this.resolveApiKey();
    const { authHeader, authScheme } = this.config;
    if (key) setAuthHeader(headers, authHeader, authScheme, key);
    applyHeaders(headers, this.config.defaultHeaders);
    return Object.fromEntries(headers.entries());
  }

  private async resolveApiKey(): Promise<string | null> {
    const source = this.#apiKey;
    if (source === null) return null;
    if (typeof source === "string") return source;
    let key: string;
    try {
      key = await source();
    } catch (cause) {
      throw new OpenResponsesError(
        `The apiKey function failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
    if (typeof key !== "string" || key === "") {
      throw new OpenResponsesError("The apiKey function must resolve to a non-empty string.");
    }
    registerSecret(key);
    return key;
  }
}

/**
 * Sets the auth header. `Headers` rejects a value with a line break, a NUL or a character above U+00FF
 * (a key pasted with a newline, a typographic dash...) with a TypeError that quotes the whole value, so
 * that error is replaced by one that names the problem without the key.
 */
function setAuthHeader(headers: Headers, name: string, scheme: string, key: string): void {
  try {
    headers.set(name, scheme ? `${scheme} ${key}` : key);
  } catch (error) {
    // A bad header name (the `authHeader` option) is no secret: let its own message through.
    if (error instanceof TypeError && error.message.includes("header name")) {
      throw new OpenResponsesError(`The authHeader option is not a valid header name: ${error.message}`);
    }
    throw new OpenResponsesError(
      `The API key cannot be sent in the ${name} header: it contains a character that HTTP headers do not allow (a line break, a NUL, or a character above U+00FF).`,
    );
  }
}

/**
 * Merges header values case-insensitively; `null`/`undefined` removes. An invalid value is reported by
 * the header's name only: the TypeError of `Headers` quotes the value, which may be a credential.
 */
export function applyHeaders(target: Headers, values: HeaderValues | undefined): void {
  if (!values) return;
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) {
      target.delete(name);
      continue;
    }
    try {
      target.set(name, value);
    } catch {
      throw new OpenResponsesError(
        `The header ${JSON.stringify(name)} cannot be sent: its name or value contains a character that HTTP headers do not allow.`,
      );
    }
  }
}

/**
 * One try at the network: its own AbortController, linked to the caller's signal, and the timer. For a
 * stream the attempt lives on after `send` returns, until the body ends, errors or is cancelled.
 */
class Attempt {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onUserAbort = (): void =>
    this.controller.abort(new UserAbortReason(this.userSignal?.reason));

  constructor(
    private readonly userSignal: AbortSignal | undefined,
    private readonly timeout: number,
    /** The URL without credentials, for messages. */
    private readonly url: string,
    private readonly total: { deadline: number; totalTimeout: number },
  ) {
    userSignal?.addEventListener("abort", this.onUserAbort, { once: true });
    this.armTimer();
    if (Number.isFinite(total.deadline)) {
      const remaining = Math.max(0, total.deadline - Date.now());
      this.totalTimer = setTimeout(() => this.controller.abort(new TotalTimeoutReason()), remaining);
      // A stream nobody reads to its end must not keep the process alive until the deadline.
      (this.totalTimer as { unref?: () => void }).unref?.();
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  readonly abort = (reason?: unknown): void => {
    this.finish();
    this.controller.abort(new UserAbortReason(reason));
  };

  /** Stops the timers and unlinks the caller's signal, so nothing outlives the request. */
  finish(): void {
    this.clearTimer();
    if (this.totalTimer !== undefined) clearTimeout(this.totalTimer);
    this.totalTimer = undefined;
    this.userSignal?.removeEventListener("abort", this.onUserAbort);
  }

  private totalTimeoutError(url: string): APIConnectionTimeoutError {
    return new APIConnectionTimeoutError(
      `Request to ${url} took longer than the total timeout of ${this.total.totalTimeout} ms.`,
      { url },
    );
  }

  private armTimer(): void {
    this.clearTimer();
    if (Number.isFinite(this.timeout) && this.timeout > 0) {
      this.timer = setTimeout(() => this.controller.abort(new TimeoutReason()), this.timeout);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Maps whatever fetch or a body read threw to the package's classes. */
  translate(error: unknown, safeURL: string): OpenResponsesError {
    const reason: unknown = this.controller.signal.aborted ? this.controller.signal.reason : undefined;
    if (reason instanceof TimeoutReason) {
      return new APIConnectionTimeoutError(`Request to ${safeURL} timed out after ${this.timeout} ms.`, {
        url: safeURL,
      });
    }
    if (reason instanceof TotalTimeoutReason) return this.totalTimeoutError(safeURL);
    if (reason instanceof UserAbortReason) return new APIUserAbortError(undefined, { cause: reason.reason });
    if (error instanceof OpenResponsesError) return error;
    return new APIConnectionError(`Connection error: could not reach ${safeURL}${describeCause(error)}.`, {
      url: safeURL,
      cause: redactError(error),
    });
  }

  /**
   * A failure while reading an accepted stream. Caller aborts stay `APIUserAbortError`; a drop or an idle
   * timeout becomes a `ResponseStreamError` (kind `interrupted`), which the stream engine completes with
   * the partial response, with the connection or timeout error as its `cause`.
   */
  streamFailure(error: unknown): OpenResponsesError {
    const reason: unknown = this.controller.signal.aborted ? this.controller.signal.reason : undefined;
    if (reason instanceof UserAbortReason) return new APIUserAbortError(undefined, { cause: reason.reason });
    if (error instanceof OpenResponsesError) return error;
    const url = this.url;
    const cause =
      reason instanceof TotalTimeoutReason
        ? this.totalTimeoutError(url)
        : reason instanceof TimeoutReason
          ? new APIConnectionTimeoutError(`No data from ${url} for ${this.timeout} ms (the idle timeout).`, {
              url,
            })
          : new APIConnectionError(`Connection to ${url} lost during the stream${describeCause(error)}.`, {
              url,
              cause: redactError(error),
            });
    return new ResponseStreamError(`The stream was interrupted: ${cause.message}`, {
      kind: "interrupted",
      partialResponse: null,
      cause,
    });
  }

  /**
   * The body of an accepted stream, with the timer re-armed per read as an idle timeout, and releasing
   * the caller's signal once the body is over. Reads only on demand, so a slow consumer is never mistaken
   * for a silent server. Null (and the attempt finished) when the answer has no body.
   */
  streamBody(response: Response): BodyReader | null {
    this.clearTimer();
    const source = response.body;
    if (!source) {
      this.finish();
      return null;
    }
    const reader = source.getReader();
    return {
      read: async () => {
        this.armTimer();
        try {
          const result = await reader.read();
          this.clearTimer();
          if (result.done) this.finish();
          return result;
        } catch (error) {
          this.finish();
          throw this.streamFailure(error);
        }
      },
      cancel: (reason) => {
        this.abort(reason);
        return reader.cancel(reason).catch(() => undefined);
      },
    };
  }
}

/** A `Response` like `like` whose body is read from `reader` on demand. */
function readerResponse(reader: BodyReader, like: Response): Response {
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  // A Response is the init of its copy: status, statusText and headers are read from it.
  return new Response(body, like);
}

/** Waits before a retry; the caller's signal cuts the wait short. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new APIUserAbortError(undefined, { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new APIUserAbortError(undefined, { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Serialises the body, turning a cycle or a BigInt into a typed error instead of a bare TypeError. */
function serializeBody(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new OpenResponsesError(`The request body cannot be serialised to JSON: ${reason}`);
  }
}

function randomId(): string {
  const cryptoObject = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (cryptoObject?.randomUUID) return cryptoObject.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** `: connect ECONNREFUSED 127.0.0.1:9` — the low-level reason fetch hides in `cause`. */
function describeCause(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(inner instanceof Error)) return "";
  const code = (inner as { code?: unknown }).code;
  const text = inner.message || (typeof code === "string" ? code : "");
  return text ? ` (${redactSecrets(text)})` : "";
}

function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** What fetch would do to the method: 303 makes anything but GET/HEAD a GET; 301/302 make a POST a GET. */
function changesMethod(status: number, method: string): boolean {
  if (status === 303) return method !== "GET";
  return (status === 301 || status === 302) && method === "POST";
}

/** The absolute http(s) URL a `Location` names, or null. */
function resolveLocation(location: string, base: string): string | null {
  try {
    const next = new URL(location, base);
    return next.protocol === "http:" || next.protocol === "https:" ? next.href : null;
  } catch {
    return null;
  }
}

function describeBody(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return "empty body";
  return `starts with ${JSON.stringify(flat.slice(0, 60))}`;
}
