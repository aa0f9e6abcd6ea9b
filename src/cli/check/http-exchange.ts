/**
 * One HTTP exchange read by check's own bounded reader (not the client: check must see the bytes as
 * they are, and stop reading at its own caps). A streaming body is framed event by event as it arrives,
 * so a flood is cut off at the event cap and a hang at the scenario's deadline.
 */

import { buildURL } from "../../core/base-url.js";
import type { CheckLimits } from "./limits.js";
import type { RecordedHttpExchange } from "./recorder.js";
import { type RawSSEEvent, SSEFramingReader } from "./sse-framing.js";

export interface HttpTarget {
  /** e.g. `http://127.0.0.1:8080/v1` (normalised by the client's base-URL rule). */
  baseURL: string;
  /** Sent with every request: the auth header and any `--header`. */
  headers: Record<string, string>;
  fetch: typeof fetch;
}

export type Ending =
  /** The body ended normally. */
  | "end"
  /** The scenario's deadline passed while reading. */
  | "timeout"
  /** The byte or event cap was reached. */
  | "too_large"
  /** The connection broke. */
  | "network";

export interface HttpResult {
  /** Null when no response arrived (a network error or the deadline before headers). */
  status: number | null;
  headers: Headers;
  contentType: string;
  text: string;
  bytes: number;
  /** SSE events as framed on the wire (streaming requests only). */
  events: RawSSEEvent[];
  ending: Ending;
  /** What broke, for `network` and `timeout`. */
  error: string | null;
  /** The error code of a failed connection (ECONNREFUSED, ENOTFOUND...). */
  errorCode: string | null;
  record: RecordedHttpExchange;
}

function errorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function messageOf(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${message} (${code})` : message;
}

export async function httpExchange(
  target: HttpTarget,
  path: string,
  body: unknown,
  options: {
    signal: AbortSignal;
    limits: CheckLimits;
    sse: boolean;
    rawBody?: string;
    headers?: Record<string, string>;
  },
): Promise<HttpResult> {
  // The client's rule: the path goes after the base's path, and a query on the base (api-version) stays.
  const url = buildURL(target.baseURL, path);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: options.sse ? "text/event-stream" : "application/json",
    ...target.headers,
    ...options.headers,
  };
  const payload = options.rawBody ?? JSON.stringify(body);
  const record: RecordedHttpExchange = {
    transport: "http",
    request: { method: "POST", url, headers, body: options.rawBody ?? body },
    response: null,
    error: null,
  };
  const result: HttpResult = {
    status: null,
    headers: new Headers(),
    contentType: "",
    text: "",
    bytes: 0,
    events: [],
    ending: "end",
    error: null,
    errorCode: null,
    record,
  };
  let response: Response;
  try {
    response = await target.fetch(url, {
      method: "POST",
      headers,
      body: payload,
      signal: options.signal,
      redirect: "manual",
    });
  } catch (error) {
    result.ending = options.signal.aborted ? "timeout" : "network";
    result.error = options.signal.aborted ? "no answer before the scenario's deadline" : messageOf(error);
    result.errorCode = options.signal.aborted ? null : errorCode(error);
    record.error = result.error;
    return result;
  }
  result.status = response.status;
  result.headers = response.headers;
  result.contentType = response.headers.get("content-type") ?? "";
  const decoder = new TextDecoder("utf-8");
  const framing = new SSEFramingReader();
  const pieces: string[] = [];
  const reader = response.body?.getReader();
  try {
    while (reader) {
      const { value, done } = await reader.read();
      if (done) break;
      result.bytes += value.byteLength;
      if (result.bytes > options.limits.maxBytes) {
        result.ending = "too_large";
        result.error = `the body passed ${options.limits.maxBytes} bytes`;
        break;
      }
      pieces.push(decoder.decode(value, { stream: true }));
      if (options.sse) {
        result.events.push(...framing.push(value));
        if (result.events.length > options.limits.maxEvents) {
          result.ending = "too_large";
          result.error = `the stream passed ${options.limits.maxEvents} events`;
          break;
        }
      }
    }
    if (result.ending === "end") {
      pieces.push(decoder.decode());
      if (options.sse) result.events.push(...framing.end());
    }
  } catch (error) {
    result.ending = options.signal.aborted ? "timeout" : "network";
    result.error = options.signal.aborted
      ? "the body did not end before the scenario's deadline"
      : messageOf(error);
  } finally {
    if (result.ending !== "end") await reader?.cancel().catch(() => undefined);
  }
  result.text = pieces.join("");
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  record.response = {
    status: response.status,
    headers: responseHeaders,
    body: result.text,
    truncated: result.ending !== "end",
  };
  record.error = result.error;
  return result;
}
