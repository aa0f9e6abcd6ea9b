/**
 * `ModelError`: what a model throws to choose the HTTP answer. Thrown before the model's first part, it
 * is the answer itself (its status, an E1 body, its headers such as `Retry-After`; a WebSocket `error`
 * message), because nothing has been promised to the client yet; thrown later, it is `error` +
 * `response.failed` like any failure, keeping its type, code and param. Bridges throw it for a refused
 * field (400) and for an upstream's errors (401, 429, 502, ...).
 */

import { isRecord } from "../../internal/guards.js";
import { redactSecrets } from "../../internal/redact.js";
import type { KitError, SpecErrorType } from "./kit-error.js";

export interface ModelErrorInit {
  /** The HTTP status of the answer, 400–599. */
  status: number;
  /** The E1 `type` (rule E2); default `invalid_request` below 500, `server_error` from 500. */
  type?: SpecErrorType | (string & {});
  /** The E1 `code` (`unsupported_parameter`, `rate_limit_exceeded`, ...). */
  code?: string | null;
  /** The request field the error is about (a refused field names itself here). */
  param?: string | null;
  /** Headers for the HTTP answer (`retry-after`, say); names in lower case. */
  headers?: Record<string, string>;
  /** The underlying failure, kept as the error's `cause`. */
  cause?: unknown;
}

/**
 * An error a model throws with the HTTP status (and E1 fields) the caller should get. Before the
 * model's first part it is the answer; after it, `error` + `response.failed`.
 *
 * @example
 * throw new ModelError("The upstream has no equivalent of `background`.", {
 *   status: 400, code: "unsupported_parameter", param: "background",
 * });
 */
export class ModelError extends Error {
  override readonly name = "ModelError";
  /** The HTTP status of the answer (400–599; anything else becomes 500). */
  readonly status: number;
  /** The E1 `type`. */
  readonly type: string;
  /** The E1 `code`. */
  readonly code: string | null;
  /** The request field the error is about. */
  readonly param: string | null;
  /** Headers for the HTTP answer. */
  readonly headers: Record<string, string>;

  constructor(message: string, init: ModelErrorInit) {
    super(redactSecrets(message), init.cause === undefined ? undefined : { cause: init.cause });
    this.status = validStatus(init.status) ? init.status : 500;
    this.type = init.type ?? (this.status >= 500 ? "server_error" : "invalid_request");
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }
}

function validStatus(status: unknown): status is number {
  return typeof status === "number" && Number.isInteger(status) && status >= 400 && status <= 599;
}

/**
 * The answer for an error thrown before the first part, or null when the error names no HTTP status
 * (then it is an ordinary failure: `error` + `response.failed`). Read by shape, not `instanceof`, so an
 * error from another copy of the package (ESM beside CommonJS) counts too.
 */
export function statusAnswerOf(thrown: unknown): KitError | null {
  if (!isRecord(thrown) || !validStatus(thrown.status)) return null;
  const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : null);
  const status = thrown.status;
  const message = thrown instanceof Error ? thrown.message : (text(thrown.message) ?? "The model failed.");
  const headers: Record<string, string> = {};
  if (isRecord(thrown.headers)) {
    for (const [name, value] of Object.entries(thrown.headers)) {
      if (typeof value === "string") headers[name.toLowerCase()] = value;
    }
  }
  return {
    status,
    error: {
      message: redactSecrets(message || "The model failed."),
      type: text(thrown.type) ?? (status >= 500 ? "server_error" : "invalid_request"),
      param: text(thrown.param),
      code: text(thrown.code),
    },
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}
