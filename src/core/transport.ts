/**
 * The HTTP transport: URL, auth, headers, timeouts, abort and retries. It hands back an accepted
 * `Response` (2xx) or throws a typed error; it never looks at what the body means.
 */

import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  OpenResponsesError,
  ResponseStreamError,
} from "../errors.js";
import { redactError, registerSecret } from "../internal/redact.js";
import { isRedirect, requestIdFrom } from "./answer-headers.js";
import { buildURL, stripCredentials } from "./base-url.js";
import { readBodyWithin, readChunks } from "./body.js";
import { describeCause } from "./describe-cause.js";
import { loadOnDemand } from "./load-on-demand.js";
import type { Logger } from "./logger.js";
import {
  type ApiKeySource,
  type FetchLike,
  type FetchOptions,
  type HeaderValues,
  MAX_ERROR_BODY_BYTES,
  type RequestOptions,
} from "./options.js";
import type { InputProblem } from "./request-input.js";
import { backoffDelay, type RetryTiming, shouldRetryResponse } from "./retry.js";
import type { RetryWait } from "./retry-after.js";

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
   * Lower-case names of headers that are credentials (the auth header, `authorization`, the
   * `secretHeaders` option...): never sent to another origin than the base URL's. Names that look like
   * credentials (`isSecretHeaderName`) count too.
   */
  secretHeaders: ReadonlySet<string>;
  maxRetries: number;
  retryTiming: RetryTiming;
  logger: Logger;
}

export interface TransportRequest {
  method: "GET" | "POST" | "DELETE";
  path: string;
  body?: unknown;
  options?: RequestOptions | undefined;
}

/** What the transport hands fetch: the method and headers always set. */
export type FetchInit = RequestInit & { method: string; headers: Headers };

/** What reads a body: a stream's default reader has these two methods. */
export type BodyReader = Pick<ReadableStreamDefaultReader<Uint8Array>, "read" | "cancel">;

/** An accepted stream. */
export interface TransportResult {
  /**
   * The body under the idle timeout, for the stream engine (no stream in between); null when the answer
   * has no body. To hand the body out instead, `readerResponse` (`unread-body.ts`) makes a `Response` of it.
   */
  reader: BodyReader | null;
  /** The answer as fetch returned it (status, headers, url); its body is locked by `reader`. */
  httpResponse: Response;
  requestId: string | null;
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

export class Transport {
  // A private field, so that `console.log(client)` or a serialiser never prints the key.
  readonly #apiKey: ApiKeySource | null;

  // Declared, not defined: the constructor sets it, and a field would only repeat its name in a bundle.
  declare readonly config: TransportConfig;

  constructor(config: TransportConfig, apiKey: ApiKeySource | null) {
    this.config = config;
    this.#apiKey = apiKey;
    if (typeof apiKey === "string") registerSecret(apiKey);
  }

  /** Sends a request and parses its JSON answer; the timeout covers the whole body. */
  requestJSON<T>(request: TransportRequest): Promise<JSONResult<T>> {
    const limit = this.maxBodyBytes(request.options);
    return this.#send(request, false, async (response) => {
      const text = await readBodyWithin(response, limit);
      const requestId = requestIdFrom(response.headers);
      try {
        return { data: JSON.parse(text) as T, response, requestId, text };
      } catch (cause) {
        // Like an error answer, a body that is not JSON is the exception: its error is built on demand.
        const { notJSONError } = await loadOnDemand("this answer");
        throw notJSONError(response, text, requestId, cause);
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
  requestStream(request: TransportRequest): Promise<TransportResult> {
    return this.#send(request, true, (response, attempt) => ({
      reader: attempt.streamBody(response),
      httpResponse: response,
      requestId: requestIdFrom(response.headers),
      abort: attempt.abort,
    }));
  }

  async #send<R>(
    request: TransportRequest,
    stream: boolean,
    accept: (response: Response, attempt: Attempt) => R | Promise<R>,
  ): Promise<R> {
    const { config } = this;
    const { logger } = config;
    const { method, body } = request;
    const options = request.options ?? {};
    const signal = options.signal ?? undefined;
    if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });

    const url = buildURL(config.baseURL, request.path, { ...config.defaultQuery, ...options.query });
    const safeURL = stripCredentials(url);
    const initial: Record<string, string> = { accept: stream ? "text/event-stream" : "application/json" };
    if (body !== undefined) initial["content-type"] = "application/json";
    // One key per logical request: every retry of this POST carries the same one, so the server can
    // deduplicate an attempt that did reach it before the connection dropped.
    const headers = await this.#headers(
      initial,
      method === "POST" ? (options.idempotencyKey ?? randomId()) : undefined,
    );
    await applyHeaders(headers, options.headers);
    let sent: string | undefined;
    if (body !== undefined) {
      // A cycle or a BigInt: a typed error instead of a bare TypeError.
      try {
        sent = JSON.stringify(body);
      } catch (cause) {
        await refuse("body", cause);
      }
    }
    const maxRetries = Math.max(0, Math.floor(options.maxRetries ?? config.maxRetries));
    const timeout = options.timeout ?? config.timeout;
    const totalTimeout = options.totalTimeout ?? config.totalTimeout;
    // `Date.now() + Infinity` is Infinity: no deadline.
    const deadline = totalTimeout > 0 ? Date.now() + totalTimeout : Infinity;
    const fetchOptions = { ...config.fetchOptions, ...options.fetchOptions };
    const giveUp = (error: OpenResponsesError): OpenResponsesError => {
      // The caller receives the error itself, so this is only a trace line, not an `error` log.
      if (!(error instanceof APIUserAbortError)) logger.info(`${method} ${safeURL} failed: ${error.message}`);
      return error;
    };

    for (let attemptIndex = 0; ; attemptIndex++) {
      const attempt = startAttempt(signal, timeout, safeURL, deadline, totalTimeout);
      logger.debug(`${method} ${safeURL}${attemptIndex > 0 ? ` (retry ${attemptIndex})` : ""}`, {
        headers: Object.fromEntries(headers.entries()),
      });
      // Set by whichever branch below failed (a fetch that threw, or an error answer).
      let error!: OpenResponsesError;
      // An error answer's wait before the next attempt, and the warning when it asked for more than the cap.
      let wait: RetryWait | undefined;
      let response: Response | undefined;
      try {
        response = await this.#fetch(url, {
          ...fetchOptions,
          method,
          body: sent,
          signal: attempt.signal,
          redirect: "manual",
          headers,
        });
      } catch (thrown) {
        attempt.finish();
        error = attempt.translate(thrown);
        // Only failures to get an answer at all are worth another attempt; an abort never is.
        if (!(error instanceof APIConnectionError)) throw giveUp(error);
      }
      if (response) {
        if (response.ok) {
          logger.debug(`${response.status} from ${method} ${safeURL}`);
          // Past this point the answer is accepted: whatever happens to its body is never retried.
          try {
            const result = await accept(response, attempt);
            if (!stream) attempt.finish();
            return result;
          } catch (thrown) {
            attempt.finish();
            throw giveUp(attempt.translate(thrown));
          }
        }
        try {
          const errorBodyBytes = Math.min(MAX_ERROR_BODY_BYTES, this.maxBodyBytes(options));
          // Read (and released) before anything else: a body that cannot be read counts as empty.
          const body = await readChunks(response, errorBodyBytes).catch(() => undefined);
          // Error answers are the exception: how one is read (`http-errors.ts`) and how long it asks to
          // wait before a retry (`retry-after.ts`) are loaded with the first.
          ({ error, wait } = (await loadOnDemand("this answer")).errorAnswer(
            response,
            body,
            errorBodyBytes,
            attemptIndex,
            config.retryTiming,
            safeURL,
          ));
        } catch (thrown) {
          error = attempt.translate(thrown);
        }
        attempt.finish();
        // An abort while the error body was being read wins over the half-read error.
        if (signal?.aborted) throw new APIUserAbortError(undefined, { cause: signal.reason });
        if (error instanceof APIUserAbortError) throw error;
        if (!shouldRetryResponse(response.status, response.headers)) throw giveUp(error);
      }
      if (attemptIndex >= maxRetries) throw giveUp(error);
      // No answer (or none that could be read): the backoff alone.
      const delay = wait ? wait.delay : backoffDelay(attemptIndex, config.retryTiming);
      // A retry that could not even start within the total timeout is not made: the last failure is the answer.
      if (Date.now() + delay >= deadline) throw giveUp(error);
      if (wait?.capped) logger.warn(wait.capped);
      logger.info(
        `${method} ${safeURL} failed (${error.message}); retry ${attemptIndex + 1} of ${maxRetries} ` +
          `in ${Math.round(delay)} ms`,
      );
      await sleep(delay, signal);
    }
  }

  /**
   * fetch with `redirect: "manual"`, following redirects here so that no credential leaves the base URL's
   * origin and no redirect turns the request into a GET (`rare-answers.ts`, loaded when the first redirect
   * arrives).
   */
  async #fetch(url: string, init: FetchInit): Promise<Response> {
    const response = await this.config.fetch(url, init);
    if (!isRedirect(response)) return response;
    return (await loadOnDemand("this answer")).redirected(response, url, init, this.config);
  }

  /** `initial`, then the auth header, the idempotency key and the client's default headers. */
  async #headers(initial: Record<string, string>, idempotencyKey?: string): Promise<Headers> {
    const { authHeader, authScheme, defaultHeaders } = this.config;
    const headers = new Headers(initial);
    const key = await this.#key();
    if (key) {
      // `Headers` rejects a value with a line break, a NUL or a character above U+00FF (a key pasted with
      // a newline, a typographic dash...) with a TypeError that quotes the whole value: replaced by one
      // that names the problem without the key.
      try {
        headers.set(authHeader, authScheme ? `${authScheme} ${key}` : key);
      } catch (error) {
        // `Headers` refused it; its TypeError may quote the key, which the error must not.
        await refuse("auth", error, authHeader);
      }
    }
    if (idempotencyKey !== undefined) headers.set("idempotency-key", idempotencyKey);
    await applyHeaders(headers, defaultHeaders);
    return headers;
  }

  /**
   * The auth header and the default headers, for a connection that does not go through fetch (the
   * WebSocket upgrade of `responses.connect()`), so a socket carries the credentials an HTTP request would.
   */
  async connectionHeaders(): Promise<Record<string, string>> {
    return Object.fromEntries(await this.#headers({}));
  }

  async #key(): Promise<string | null> {
    const source = this.#apiKey;
    if (typeof source !== "function") return source;
    let key: string;
    try {
      key = await source();
    } catch (cause) {
      return refuse("key", cause);
    }
    if (typeof key !== "string" || key === "") return refuse("empty");
    registerSecret(key);
    return key;
  }
}

/**
 * Merges header values case-insensitively; `null`/`undefined` removes. An invalid value is reported by
 * the header's name only (the TypeError of `Headers` quotes the value, which may be a credential): the
 * rejection `refuse` makes, else nothing.
 */
function applyHeaders(target: Headers, values: HeaderValues | undefined): Promise<never> | undefined {
  for (const [name, value] of Object.entries(values ?? {})) {
    if (value == null) {
      target.delete(name);
      continue;
    }
    try {
      target.set(name, value);
    } catch {
      return refuse("header", name);
    }
  }
  return undefined;
}

/**
 * Rejects with the error for something the caller gave that cannot be sent (see `InputProblem`). Such
 * mistakes are the exception, so their messages (`request-input.ts`) are loaded when one happens.
 */
async function refuse(problem: InputProblem, detail?: unknown, authHeader?: string): Promise<never> {
  const { requestInputError } = await loadOnDemand("this error");
  throw requestInputError(problem, detail, authHeader);
}

/** One try at the network: its AbortController, linked to the caller's signal, and its timers. */
type Attempt = ReturnType<typeof startAttempt>;

/**
 * Starts one try. For a stream the attempt lives on after `send` returns, until the body ends, errors or
 * is cancelled.
 */
function startAttempt(
  userSignal: AbortSignal | undefined,
  timeout: number,
  /** The URL without credentials, for messages. */
  url: string,
  deadline: number,
  totalTimeout: number,
) {
  const controller = new AbortController();
  // Why the attempt was aborted (the first reason wins): 1 the timeout, 2 the total timeout, 3 the caller.
  let why = 0;
  let callerReason: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let totalTimer: ReturnType<typeof setTimeout> | undefined;
  const stop = (code: number, reason?: unknown): void => {
    if (!why) {
      why = code;
      callerReason = reason;
    }
    controller.abort();
  };
  const onUserAbort = (): void => stop(3, userSignal?.reason);
  const clear = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };
  const arm = (): void => {
    clear();
    if (timeout > 0 && timeout < Infinity) timer = setTimeout(stop, timeout, 1);
  };
  /** Stops the timers and unlinks the caller's signal, so nothing outlives the request. */
  const finish = (): void => {
    clear();
    clearTimeout(totalTimer);
    userSignal?.removeEventListener("abort", onUserAbort);
  };
  const abort = (reason?: unknown): void => {
    finish();
    stop(3, reason);
  };
  /**
   * Maps whatever fetch (or, `streaming`, a read of the accepted body) threw to the package's classes:
   * the timeouts and the caller's abort by why the attempt was stopped, anything else as a lost connection.
   */
  const translate = (error: unknown, streaming = false): OpenResponsesError => {
    if (why === 3) return new APIUserAbortError(undefined, { cause: callerReason });
    if (why === 2) {
      return new APIConnectionTimeoutError(
        `Request to ${url} took longer than the total timeout of ${totalTimeout} ms.`,
        { url },
      );
    }
    if (why === 1) {
      return new APIConnectionTimeoutError(
        streaming
          ? `No data from ${url} for ${timeout} ms (the idle timeout).`
          : `Request to ${url} timed out after ${timeout} ms.`,
        { url },
      );
    }
    if (error instanceof OpenResponsesError) return error;
    return new APIConnectionError(
      streaming
        ? `Connection to ${url} lost during the stream${describeCause(error)}.`
        : `Connection error: could not reach ${url}${describeCause(error)}.`,
      { url, cause: redactError(error) },
    );
  };
  userSignal?.addEventListener("abort", onUserAbort, { once: true });
  arm();
  if (deadline < Infinity) {
    totalTimer = setTimeout(stop, Math.max(0, deadline - Date.now()), 2);
    // A stream nobody reads to its end must not keep the process alive until the deadline.
    (totalTimer as { unref?: () => void }).unref?.();
  }

  return {
    signal: controller.signal,
    abort,
    finish,

    translate,

    /**
     * The body of an accepted stream, with the timer re-armed per read as an idle timeout, and releasing
     * the caller's signal once the body is over. Reads only on demand, so a slow consumer is never
     * mistaken for a silent server. Null (and the attempt finished) when the answer has no body.
     *
     * A failure while reading: caller aborts stay `APIUserAbortError`; a drop or an idle timeout becomes a
     * `ResponseStreamError` (kind `interrupted`), which the stream engine completes with the partial
     * response, with the connection or timeout error as its `cause`.
     */
    streamBody(response: Response): BodyReader | null {
      clear();
      const reader = response.body?.getReader();
      if (!reader) {
        finish();
        return null;
      }
      return {
        read: async () => {
          arm();
          try {
            const result = await reader.read();
            clear();
            if (result.done) finish();
            return result;
          } catch (error) {
            finish();
            if (why === 3) throw translate(error);
            if (error instanceof OpenResponsesError) throw error;
            const cause = translate(error, true);
            throw new ResponseStreamError(`The stream was interrupted: ${cause.message}`, {
              kind: "interrupted",
              partialResponse: null,
              cause,
            });
          }
        },
        cancel: (reason) => {
          abort(reason);
          return reader.cancel(reason).catch(() => undefined);
        },
      };
    },
  };
}

/** Waits before a retry; the caller's signal cuts the wait short. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new APIUserAbortError(undefined, { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function randomId(): string {
  // `randomUUID` exists only in secure contexts (a page served over http has none).
  return (
    (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.() ??
    `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`
  );
}
