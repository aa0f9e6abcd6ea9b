/**
 * Turns an HTTP error answer into the matching typed error, reading the spec envelope (rule E1) and the
 * shapes real servers send instead: a bare string `error`, FastAPI's `{detail}` (string or list),
 * `{message}`, an HTML page from a proxy, or nothing at all. The message is always one readable line.
 *
 * Error answers (and a 2xx answer whose body is not JSON) are the exception, so the transport imports
 * this file (through `src/on-demand.ts`, an error answer by way of `rare-answers.ts`) when the first one
 * arrives: a bundle that never sees one does not load it.
 */

import {
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  type ErrorDetails,
  type HeaderRecord,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../errors.js";
import { redactDeep, redactError, redactSecrets } from "../internal/redact.js";
import { requestIdFrom } from "./answer-headers.js";

const MAX_MESSAGE_LENGTH = 300;

/** Response headers as a plain record with credential-looking values masked (an error's `headers`). */
export function headersToRecord(headers: Headers): HeaderRecord {
  const out: HeaderRecord = {};
  headers.forEach((value, key) => {
    out[key] = redactSecrets(value);
  });
  return out;
}

type APIErrorClass = new (message: string, init: APIErrorInit) => APIError;

const CLASS_BY_STATUS: Record<number, APIErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

export function errorClassForStatus(status: number): APIErrorClass {
  return CLASS_BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
}

/** Builds the error for a failed response from its (bounded, already read) body text. Never throws. */
export function buildAPIError(status: number, statusText: string, headers: Headers, text: string): APIError {
  const contentType = headers.get("content-type") ?? "";
  let parsed: unknown = text;
  if (text.trim() !== "" && !/html/i.test(contentType)) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const details = extractDetails(parsed, text, contentType);
  const statusLine = `${status}${statusText ? ` ${statusText}` : ""}`;
  const message = details ? `${status} ${oneLine(details.message)}` : `${statusLine} (no body)`;
  const ErrorClass = errorClassForStatus(status);
  return new ErrorClass(message, {
    status,
    headers: headersToRecord(headers),
    body: redactDeep(parsed, { maskSecretKeys: true }),
    error: details ? { ...details, message: redactSecrets(details.message) } : undefined,
    requestId: requestIdFrom(headers),
  });

  function extractDetails(body: unknown, raw: string, type: string): ErrorDetails | undefined {
    if (typeof body === "string") {
      if (body.trim() === "") return undefined;
      if (/html/i.test(type) || /^\s*<(!doctype|html|head|body)/i.test(body)) {
        const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
        const label = title && title !== "" ? title.replace(/^\d{3}\s*/, "") : statusText || "Error";
        return { message: `${label} (HTML body from a proxy)` };
      }
      return { message: body };
    }
    if (body === null || typeof body !== "object") return { message: raw };
    const record = body as Record<string, unknown>;
    const error = record.error;
    if (error && typeof error === "object" && !Array.isArray(error)) {
      const e = error as Record<string, unknown>;
      return {
        message: typeof e.message === "string" && e.message !== "" ? e.message : stringifyShort(e),
        type: asNullableString(e.type),
        code: asNullableString(e.code),
        param: asNullableString(e.param),
      };
    }
    if (typeof error === "string") return { message: error, code: asNullableString(record.code) };
    if (typeof record.detail === "string") return { message: record.detail };
    if (Array.isArray(record.detail)) return { message: describeDetailList(record.detail) };
    if (typeof record.message === "string") {
      return {
        message: record.message,
        type: asNullableString(record.type),
        code: asNullableString(record.code),
      };
    }
    return { message: stringifyShort(body) };
  }
}

/** FastAPI / pydantic validation errors: `[{loc: ["body","model"], msg: "field required"}, ...]`. */
function describeDetailList(list: unknown[]): string {
  const parts = list.slice(0, 5).map((entry) => {
    if (entry && typeof entry === "object") {
      const e = entry as Record<string, unknown>;
      const loc = Array.isArray(e.loc) ? e.loc.join(".") : undefined;
      const msg =
        typeof e.msg === "string" ? e.msg : typeof e.message === "string" ? e.message : stringifyShort(e);
      return loc ? `${loc}: ${msg}` : msg;
    }
    return String(entry);
  });
  if (list.length > 5) parts.push(`and ${list.length - 5} more`);
  return parts.join("; ");
}

function asNullableString(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return null;
}

function stringifyShort(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Collapses whitespace and truncates, so a 50 kB proxy page cannot flood a log line. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_MESSAGE_LENGTH ? `${flat.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : flat;
}

/** A 2xx JSON answer whose body does not parse: an `APIError` quoting its start, with the body kept. */
export function notJSONError(
  response: Response,
  text: string,
  requestId: string | null,
  cause: unknown,
): APIError {
  const flat = text.replace(/\s+/g, " ").trim();
  const shown = flat === "" ? "empty body" : `starts with ${JSON.stringify(flat.slice(0, 60))}`;
  return new APIError(`${response.status} The server answered with a body that is not JSON (${shown}).`, {
    status: response.status,
    headers: headersToRecord(response.headers),
    body: redactSecrets(text.slice(0, 2000)),
    requestId,
    // JSON.parse quotes the body in its message (all of it, when it is short).
    cause: redactError(cause),
  });
}
