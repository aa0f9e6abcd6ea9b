/**
 * Spec error bodies (rule E1: `{ error: { message, type, param, code } }`) and the HTTP status that goes
 * with them (rule E2). Every failure the kit reports before a stream starts is one of these values, so the
 * HTTP handler and WebSocket mode can both send it in their own framing.
 */

import { redactSecrets } from "../../internal/redact.js";

export type SpecErrorType =
  | "invalid_request"
  | "not_found"
  | "too_many_requests"
  | "server_error"
  | "model_error";

export interface SpecErrorObject {
  message: string;
  type: SpecErrorType | (string & {});
  param: string | null;
  code: string | null;
}

/** An error to answer with: the HTTP status plus the E1 error object. */
export interface KitError {
  status: number;
  error: SpecErrorObject;
  /** Headers the HTTP answer carries (`retry-after` passed on from an upstream, say). */
  headers?: Record<string, string>;
}

export function kitError(
  status: number,
  type: SpecErrorObject["type"],
  message: string,
  options: { param?: string | null; code?: string | null } = {},
): KitError {
  return {
    status,
    error: {
      message: redactSecrets(message),
      type,
      param: options.param ?? null,
      code: options.code ?? null,
    },
  };
}

export const invalidRequest = (message: string, param: string | null = null, code = "invalid_request") =>
  kitError(400, "invalid_request", message, { param, code });

/** Builds the JSON `Response` for a kit error; extra headers (e.g. `Allow`) are merged in. */
export function errorResponse(failure: KitError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: failure.error }), {
    status: failure.status,
    headers: { ...failure.headers, "content-type": "application/json", ...headers },
  });
}

/**
 * Reads `code`, `type`, `param` and `message` from whatever a model threw, so a model can pick the
 * spec error it reports (rule S8) by throwing an object with those fields.
 */
export function describeThrown(thrown: unknown): SpecErrorObject {
  const record = typeof thrown === "object" && thrown !== null ? (thrown as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : null);
  const message =
    thrown instanceof Error
      ? thrown.message
      : (text(record.message) ?? (text(thrown) || "The model failed."));
  return {
    message: redactSecrets(message || "The model failed."),
    type: text(record.type) ?? "model_error",
    param: text(record.param),
    code: text(record.code) ?? "model_error",
  };
}
