/**
 * Every error the package throws. Users branch on the class (`instanceof RateLimitError`) or on the
 * fields (`status`, `code`, `type`); messages never contain an API key because every message built from
 * a server body or a header goes through `redactSecrets` first.
 */

import { redactDeep, redactSecrets } from "./internal/redact.js";
import type { ResponseResource } from "./spec/types.gen.js";

/** Headers as a plain record, so errors are serialisable and carry no live `Headers` object. */
export type HeaderRecord = Record<string, string>;

/** `redactSecrets` for a field that may be null. */
function redactNullable(value: string | null | undefined): string | null {
  return typeof value === "string" ? redactSecrets(value) : (value ?? null);
}

/** `type`, `code` and `param` of a server's error object, redacted (they are server text). */
function detailFields(error: ErrorDetails | undefined): Omit<ErrorDetails, "message"> {
  return {
    type: redactNullable(error?.type),
    code: redactNullable(error?.code),
    param: redactNullable(error?.param),
  };
}

/**
 * Marks every error of the package with the names of its classes, under a key shared by every copy of
 * the package (`Symbol.for`), so that `instanceof` also holds for an error made by another copy: the ESM
 * and the CommonJS build loaded side by side (the dual-package hazard), or two installed versions.
 */
const ERROR_CLASSES = Symbol.for("openresponses.errorClasses");

function classNames(errorClass: unknown): string[] {
  const names: string[] = [];
  for (let current = errorClass; typeof current === "function" && current !== Error; ) {
    names.push((current as { name: string }).name);
    current = Object.getPrototypeOf(current);
  }
  return names;
}

/**
 * `instanceof` for the package's errors, whichever copy of the package made the error (see above).
 * A plain function, not a static method, because it needs its receiver: `this` is the class on the right
 * of `instanceof`, which for a subclass (the package's or a user's) is the subclass, not the base class.
 */
function hasInstance(this: { readonly name: string }, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const names = (value as { [ERROR_CLASSES]?: unknown })[ERROR_CLASSES];
  return Array.isArray(names) && names.includes(this.name);
}

/** Base class of everything thrown by the package. */
export class OpenResponsesError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(redactSecrets(message), options);
    this.name = new.target.name;
    Object.defineProperty(this, ERROR_CLASSES, { value: classNames(new.target) });
  }

  /** `error instanceof RateLimitError` whichever copy of the package made the error (see above). */
  static override [Symbol.hasInstance]: (value: unknown) => boolean = hasInstance;
}

/** The parsed `error` object of a spec error body (rule E1), tolerant of the shapes real servers send. */
export interface ErrorDetails {
  message: string;
  type?: string | null;
  code?: string | null;
  param?: string | null;
}

export interface APIErrorInit {
  status: number | undefined;
  headers?: HeaderRecord;
  body?: unknown;
  error?: ErrorDetails;
  requestId?: string | null;
  cause?: unknown;
}

/** An error answered by the server (an HTTP status, or an error envelope on a WebSocket). */
export class APIError extends OpenResponsesError {
  declare readonly status: number | undefined;
  declare readonly type: string | null;
  declare readonly code: string | null;
  declare readonly param: string | null;
  declare readonly requestId: string | null;
  declare readonly headers: HeaderRecord;
  /** The raw body as received: parsed JSON when it was JSON, else the text. */
  declare readonly body: unknown;

  constructor(message: string, init: APIErrorInit) {
    super(message, { cause: init.cause });
    this.status = init.status;
    // Every field below can hold text the server chose (an echoed key, say): redacted like the message,
    // so that neither JSON.stringify(err) nor util.inspect(err) shows a credential.
    Object.assign(this, detailFields(init.error));
    this.requestId = redactNullable(init.requestId);
    this.headers = redactDeep(init.headers ?? {}) as HeaderRecord;
    this.body = redactDeep(init.body);
  }
}

/** The server answered 400; see `APIError` for the fields (`status`, `code`, `requestId`...). */
export class BadRequestError extends APIError {}
/** The server answered 401; see `APIError` for the fields (`status`, `code`, `requestId`...). */
export class AuthenticationError extends APIError {}
/** The server answered 403; see `APIError` for the fields (`status`, `code`, `requestId`...). */
export class PermissionDeniedError extends APIError {}
/** The server answered 404; see `APIError` for the fields (`status`, `code`, `requestId`...). */
export class NotFoundError extends APIError {}
/** The server answered 409; see `APIError` for the fields (`status`, `code`, `requestId`...). */
export class ConflictError extends APIError {}
/** The server answered 422; see `APIError` for the fields (`status`, `code`, `requestId`...). */
export class UnprocessableEntityError extends APIError {}
/** The server answered 429; see `APIError` for the fields (`status`, `code`, `requestId`...). */
export class RateLimitError extends APIError {}
/** The server answered 500 or above; see `APIError` for the fields (`status`, `code`, `requestId`...). */
export class InternalServerError extends APIError {}

/**
 * The server does not serve this endpoint (it answered 405 or 501, or a 404 about the path rather than
 * the resource). `responses.retrieve`, `responses.delete` and `responses.inputItems.list` use endpoints
 * that OpenAI-compatible servers serve but the Open Responses specification does not require.
 */
export class EndpointNotSupportedError extends APIError {
  /** The endpoint, as `GET /responses/{id}`. */
  declare readonly endpoint: string;

  constructor(endpoint: string, answer: APIError) {
    super(
      `${endpoint} is not supported by this server (it answered ${answer.status ?? "an error"}): an ` +
        "extension of the specification, which servers need not offer.",
      // The answer's `status`, `headers`, `body` and `requestId`, and its own `message`, `type`, `code` and
      // `param` as the error details.
      { ...answer, error: answer, cause: answer },
    );
    this.endpoint = endpoint;
  }
}

/**
 * `retrieve`, `delete` or `inputItems.list` was given an id that is not a single path segment (empty,
 * `.`, `..`, or holding `/`, `\\`, `?`, `#` or a control character, percent-encoded or not). Thrown before
 * any request, so the key never goes to another path.
 */
export class InvalidResponseIdError extends OpenResponsesError {
  /** The method that refused it, e.g. `responses.retrieve`. */
  declare readonly method: string;
  constructor(message: string, method: string) {
    super(message);
    this.method = method;
  }
}

/** The transport could not reach the server or lost the connection before a response arrived. */
export class APIConnectionError extends OpenResponsesError {
  declare readonly url: string | undefined;
  constructor(message: string, options?: { cause?: unknown; url?: string }) {
    super(message, { cause: options?.cause });
    this.url = options?.url && redactSecrets(options.url);
  }
}

/** The request (or the stream) took longer than the configured `timeout`. */
export class APIConnectionTimeoutError extends APIConnectionError {}

/** The caller aborted the request through its `AbortSignal` or `stream.abort()`. */
export class APIUserAbortError extends OpenResponsesError {
  constructor(message = "Request was aborted.", options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type StreamErrorKind =
  /** The server sent an `error` event (rule S8). */
  | "error_event"
  /** The response ended with `response.failed`. */
  | "response_failed"
  /** The body ended, or the connection dropped, before a terminal event. */
  | "interrupted"
  /** A chunk could not be decoded (bad JSON, an SSE event over the size bound). */
  | "malformed"
  /** The response grew past `maxResponseBytes` (or a JSON body past `maxBodyBytes`): `ResponseTooLargeError`. */
  | "too_large";

/**
 * A stream that did not end in a usable response. It always carries what was received so far, so no
 * streamed text is lost when a connection drops.
 */
export class ResponseStreamError extends OpenResponsesError {
  declare readonly kind: StreamErrorKind;
  /** The snapshot rebuilt from the events received before the failure. */
  declare readonly partialResponse: ResponseResource | null;
  declare readonly code: string | null;
  declare readonly type: string | null;
  declare readonly param: string | null;

  constructor(
    message: string,
    init: {
      kind: StreamErrorKind;
      partialResponse: ResponseResource | null;
      error?: ErrorDetails;
      cause?: unknown;
    },
  ) {
    super(message, { cause: init.cause });
    this.kind = init.kind;
    // The partial response is server text too: redacted (copy on write, so usually the same object).
    this.partialResponse = redactDeep(init.partialResponse) as ResponseResource | null;
    Object.assign(this, detailFields(init.error));
  }
}

/** Which client bound a `ResponseTooLargeError` hit. */
export type SizeLimitName = "maxResponseBytes" | "maxBodyBytes";

/**
 * A response grew past a configured bound: a stream past `maxResponseBytes` (kind `too_large`, with the
 * response rebuilt so far as `partialResponse`), or a JSON body past `maxBodyBytes` (`partialResponse` is
 * null, since a cut JSON body cannot be parsed; `body` holds its first 2000 characters, redacted). The
 * request is cancelled at the bound, so a server that never stops cannot exhaust the client's memory.
 */
export class ResponseTooLargeError extends ResponseStreamError {
  /** The option that was exceeded. */
  declare readonly limitName: SizeLimitName;
  /** Its value, in bytes. */
  declare readonly limit: number;
  /** Bytes received when the bound was hit (at least `limit + 1`). */
  declare readonly receivedBytes: number;
  /** JSON bodies: the start of the body (redacted); streams: null. */
  declare readonly body: string | null;

  constructor(
    message: string,
    init: {
      limitName: SizeLimitName;
      limit: number;
      receivedBytes: number;
      partialResponse: ResponseResource | null;
      body?: string | null;
    },
  ) {
    super(message, { kind: "too_large", partialResponse: init.partialResponse });
    this.limitName = init.limitName;
    this.limit = init.limit;
    this.receivedBytes = init.receivedBytes;
    this.body = redactNullable(init.body);
  }
}

/**
 * A redirect the client does not follow: one that would turn the request into a GET (301/302/303 on a
 * POST, 303 on a DELETE), one past the redirect limit, or, in a browser, any redirect (a browser hides a
 * redirect's target from fetch with `redirect: "manual"`). Redirects the client does follow never carry
 * credentials to another origin (see docs/client.md).
 */
export class RedirectError extends APIError {
  /** The `Location` the server named (credentials stripped, secrets redacted), if it was readable. */
  declare readonly location: string | null;
  constructor(message: string, init: APIErrorInit & { location: string | null }) {
    super(message, init);
    this.location = redactNullable(init.location);
  }
}

/** A rule of the streaming protocol (S2, S4–S9) was broken; thrown only in strict mode. */
export class ProtocolError extends OpenResponsesError {
  /** The rule id from the specification digest, e.g. `S6`. */
  declare readonly rule: string;
  declare readonly sequenceNumber: number | undefined;
  declare readonly eventType: string | undefined;
  constructor(rule: string, message: string, event?: { type?: unknown; sequence_number?: unknown }) {
    super(`[${rule}] ${message}`);
    this.rule = rule;
    this.eventType = typeof event?.type === "string" ? redactSecrets(event.type) : undefined;
    this.sequenceNumber = typeof event?.sequence_number === "number" ? event.sequence_number : undefined;
  }
}

/** A WebSocket error envelope (rule W8) that has no more specific class. */
export class WebSocketError extends APIError {}
/** W4/W5: the server does not have the response a turn continues from. */
export class PreviousResponseNotFoundError extends WebSocketError {}
/** W7: the connection reached the server's age limit; open a new one. */
export class WebSocketConnectionLimitError extends WebSocketError {}
