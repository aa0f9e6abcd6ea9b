/**
 * Every error the package throws. Users branch on the class (`instanceof RateLimitError`) or on the
 * fields (`status`, `code`, `type`); messages never contain an API key because every message built from
 * a server body or a header goes through `redactSecrets` first.
 */

import type { ResponseResource } from "./spec/index.js";

/** Headers as a plain record, so errors are serialisable and carry no live `Headers` object. */
export type HeaderRecord = Record<string, string>;

const SECRET_PATTERNS: RegExp[] = [
  /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{4,}/gi,
  /\b(sk|pk|rk|hf|or|gsk|xai)[-_][A-Za-z0-9._-]{8,}/g,
];

const registeredSecrets = new Set<string>();

/**
 * Registers a credential so that it is scrubbed from every later error message and log line, even when
 * it does not look like a key (a custom gateway token, say). The client registers the keys it resolves.
 */
export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 4) registeredSecrets.add(secret);
}

/** Replaces anything that looks like, or is known to be, a credential with `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join("[redacted]");
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, prefix: string) =>
      /^(Bearer|Basic|Token)$/i.test(prefix) ? `${prefix} [redacted]` : "[redacted]",
    );
  }
  return out;
}

/**
 * A copy of a low-level error with its message and stack redacted, for use as a `cause`: fetch errors may
 * quote the URL (whose query may hold a key), and JSON.parse quotes the text it could not parse.
 */
export function redactError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? redactSecrets(error) : error;
  const copy = new Error(redactSecrets(error.message));
  copy.name = error.name;
  copy.stack = redactSecrets(error.stack ?? `${error.name}: ${error.message}`);
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) (copy as { code?: unknown }).code = code;
  if (depth < 3 && error.cause !== undefined) copy.cause = redactError(error.cause, depth + 1);
  return copy;
}

/** Base class of everything thrown by the package. */
export class OpenResponsesError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(redactSecrets(message), options);
    this.name = new.target.name;
  }
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
  readonly status: number | undefined;
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;
  readonly requestId: string | null;
  readonly headers: HeaderRecord;
  /** The raw body as received: parsed JSON when it was JSON, else the text. */
  readonly body: unknown;

  constructor(message: string, init: APIErrorInit) {
    super(message, { cause: init.cause });
    this.status = init.status;
    this.type = init.error?.type ?? null;
    this.code = init.error?.code ?? null;
    this.param = init.error?.param ?? null;
    this.requestId = init.requestId ?? null;
    this.headers = init.headers ?? {};
    this.body = init.body;
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}

/** The transport could not reach the server or lost the connection before a response arrived. */
export class APIConnectionError extends OpenResponsesError {
  readonly url: string | undefined;
  constructor(message: string, options?: { cause?: unknown; url?: string }) {
    super(message, { cause: options?.cause });
    this.url = options?.url;
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
  | "malformed";

/**
 * A stream that did not end in a usable response. It always carries what was received so far, so no
 * streamed text is lost when a connection drops.
 */
export class ResponseStreamError extends OpenResponsesError {
  readonly kind: StreamErrorKind;
  /** The snapshot rebuilt from the events received before the failure. */
  readonly partialResponse: ResponseResource | null;
  readonly code: string | null;
  readonly type: string | null;
  readonly param: string | null;

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
    this.partialResponse = init.partialResponse;
    this.code = init.error?.code ?? null;
    this.type = init.error?.type ?? null;
    this.param = init.error?.param ?? null;
  }
}

/** A rule of the streaming protocol (S2, S4–S9) was broken; thrown only in strict mode. */
export class ProtocolError extends OpenResponsesError {
  /** The rule id from the specification digest, e.g. `S6`. */
  readonly rule: string;
  readonly sequenceNumber: number | undefined;
  readonly eventType: string | undefined;
  constructor(rule: string, message: string, event?: { type?: unknown; sequence_number?: unknown }) {
    super(`[${rule}] ${message}`);
    this.rule = rule;
    this.eventType = typeof event?.type === "string" ? event.type : undefined;
    this.sequenceNumber = typeof event?.sequence_number === "number" ? event.sequence_number : undefined;
  }
}

/** A WebSocket error envelope (rule W8) that has no more specific class. */
export class WebSocketError extends APIError {}
/** W4/W5: the server does not have the response a turn continues from. */
export class PreviousResponseNotFoundError extends WebSocketError {}
/** W7: the connection reached the server's age limit; open a new one. */
export class WebSocketConnectionLimitError extends WebSocketError {}
