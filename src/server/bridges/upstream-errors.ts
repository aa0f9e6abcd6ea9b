/**
 * An upstream's failures as the kit's `ModelError`s, with the status the caller gets:
 *
 *   upstream 400, 404, 409, 413, 422 → the same status (the request was wrong; the caller can fix it)
 *   upstream 401, 403               → the same status (the upstream refused the credential)
 *   upstream 429                    → 429, with its `Retry-After` passed on
 *   upstream 5xx, other, redirect   → 502 `server_error` (`upstream_error`)
 *   unreachable                     → 502 `upstream_unreachable`; no answer in time → 504 `upstream_timeout`
 *
 * The upstream's own message is kept (it is what tells the caller what went wrong) after redaction:
 * the key in use and anything that looks like a credential are replaced, and the URL is never quoted
 * (a query string may hold a key).
 */

import { isRecord } from "../../internal/guards.js";
import { redactSecrets } from "../../internal/redact.js";
import { ModelError } from "../kit/model-error.js";

/** The most of an error body read; a proxy's HTML page can be large, and only a message is needed. */
const MAX_ERROR_BODY = 64 * 1024;
/** The most of the upstream's message kept in ours. */
const MAX_MESSAGE = 2000;

const PASSED_THROUGH = new Set([400, 401, 403, 404, 409, 413, 422, 429]);

/** A `ModelError` for an upstream's non-2xx answer (the body is read, bounded, and released). */
export async function upstreamHttpError(
  upstream: string,
  response: Response,
  secrets: readonly string[] = [],
): Promise<ModelError> {
  const status = response.status;
  if (status === 0 || (status >= 300 && status < 400)) {
    await response.body?.cancel().catch(() => {});
    return new ModelError(
      redact(
        `${upstream} answered with a redirect (${status}), which bridges do not follow; check the base URL.`,
        secrets,
      ),
      { status: 502, type: "server_error", code: "upstream_error" },
    );
  }
  const detail = describeBody(await readBounded(response));
  const said = detail.message === null ? "" : `: ${detail.message}`;
  const message = redact(`${upstream} answered ${status}${said}`, secrets);
  if (!PASSED_THROUGH.has(status)) {
    return new ModelError(message, { status: 502, type: "server_error", code: "upstream_error" });
  }
  const headers: Record<string, string> = {};
  const retryAfter = response.headers.get("retry-after");
  if (status === 429 && retryAfter !== null && /^[\w ,:+-]{1,64}$/.test(retryAfter)) {
    headers["retry-after"] = retryAfter;
  }
  return new ModelError(message, {
    status,
    type: status === 429 ? "too_many_requests" : status === 404 ? "not_found" : "invalid_request",
    // The upstream's `param` names a field of the upstream's request, not of the caller's: not passed on.
    code: detail.code ?? defaultCode(status),
    headers,
  });
}

/** The upstream could not be reached (DNS, refused connection, TLS). */
export function upstreamUnreachable(
  upstream: string,
  error: unknown,
  secrets: readonly string[] = [],
): ModelError {
  const reason = error instanceof Error ? (causeText(error) ?? error.message) : String(error);
  return new ModelError(redact(`${upstream} could not be reached: ${reason}`, secrets), {
    status: 502,
    type: "server_error",
    code: "upstream_unreachable",
  });
}

export function upstreamTimeout(upstream: string, timeoutMs: number): ModelError {
  return new ModelError(`${upstream} did not answer within ${timeoutMs} ms.`, {
    status: 504,
    type: "server_error",
    code: "upstream_timeout",
  });
}

/**
 * The upstream's stream broke: cut mid-way, unparsable, or an error it reported inside the stream.
 * Before the first part this is still a 502 answer; after it, `error` + `response.failed`.
 */
export function upstreamStreamError(
  upstream: string,
  problem: string,
  secrets: readonly string[] = [],
): ModelError {
  return new ModelError(redact(`${upstream}'s stream ${problem}`, secrets), {
    status: 502,
    type: "server_error",
    code: "upstream_error",
  });
}

/** An error object an upstream put inside its stream (`{ "error": { "message": … } }`, say). */
export function upstreamReportedError(
  upstream: string,
  value: unknown,
  secrets: readonly string[] = [],
): ModelError {
  const detail = describeBody(value);
  const said = detail.message ?? "an error with no message";
  return new ModelError(redact(`${upstream} reported an error mid-stream: ${said}`, secrets), {
    status: 502,
    type: "server_error",
    code: detail.code ?? "upstream_error",
  });
}

function defaultCode(status: number): string {
  if (status === 401) return "upstream_authentication_failed";
  if (status === 403) return "upstream_permission_denied";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limit_exceeded";
  return "invalid_request";
}

async function readBounded(response: Response): Promise<unknown> {
  const reader = response.body?.getReader();
  if (reader === undefined) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body that breaks off still says what it said so far.
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, MAX_ERROR_BODY));
  let offset = 0;
  for (const chunk of chunks) {
    const room = bytes.length - offset;
    if (room <= 0) break;
    bytes.set(chunk.subarray(0, room), offset);
    offset += Math.min(chunk.length, room);
  }
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface BodyDetail {
  message: string | null;
  code: string | null;
}

/**
 * Reads the shapes providers use: `{ error: { message, code, type, param } }` (OpenAI and compatible
 * servers, Gemini), `{ type: "error", error: { type, message } }` (Anthropic), `{ error: "text" }`,
 * `{ detail }` (FastAPI servers), `{ message }`, and plain text (a proxy's page, stripped of tags).
 */
export function describeBody(body: unknown): BodyDetail {
  const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
  const code = (value: unknown) =>
    typeof value === "string" && /^[\w.:-]{1,64}$/.test(value) ? value : null;
  if (typeof body === "string") {
    const plain = body
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return { message: plain === "" ? null : clip(plain), code: null };
  }
  if (!isRecord(body)) return { message: null, code: null };
  const inner = isRecord(body.error) ? body.error : body;
  const message =
    text(inner.message) ??
    text(body.error) ??
    text(body.detail) ??
    (Array.isArray(body.detail) ? text(JSON.stringify(body.detail)) : null) ??
    text(body.message);
  return {
    message: message === null ? null : clip(message),
    code: code(inner.code) ?? code(inner.type) ?? code(inner.status),
  };
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

function causeText(error: Error): string | null {
  const cause = error.cause;
  if (cause instanceof Error && cause.message !== "") {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${cause.message} (${code})` : cause.message;
  }
  return null;
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join("[redacted]");
  }
  return redactSecrets(out);
}
