/**
 * What the transport does with the answers it does not hand on as they are: an error answer (its typed
 * error from the start of its body, `http-errors.ts`, and the wait it asks for, `retry-after.ts`), a
 * redirect (followed hop by hop as `redirects.ts` says) and a JSON answer past `maxBodyBytes` (the
 * `ResponseTooLargeError`), the bodies from what `body.ts`'s `readChunks` read. They are the exception,
 * so the transport imports this file (through `src/on-demand.ts`) when the first arrives.
 */

import { type APIError, ResponseTooLargeError } from "../errors.js";
import { isRedirect, redirectLocation } from "./answer-headers.js";
import { type ReadChunks, textOf } from "./body.js";
import { buildAPIError } from "./http-errors.js";
import { followRedirect } from "./redirects.js";
import type { RetryTiming } from "./retry.js";
import { type RetryWait, retryWait } from "./retry-after.js";
import type { FetchInit, TransportConfig } from "./transport.js";

const BODY_HEAD_CHARS = 2000;
const HEAD_BYTES = 8192;

/** The chunks cut at `limit` bytes (the last chunk of a body past its bound holds bytes past it). */
function within({ chunks, received }: ReadChunks, limit: number): Uint8Array[] {
  if (received <= limit) return chunks;
  const last = chunks.length - 1;
  return chunks.map((chunk, index) =>
    index === last ? chunk.subarray(0, chunk.byteLength - (received - limit)) : chunk,
  );
}

/**
 * An error answer's typed error, from the first `limit` bytes of its body (`body`, as `readChunks` read
 * it; undefined when the read failed, as if empty), and the wait before retry number `retryIndex`
 * (`retryWait`; `url` is the request's, without credentials).
 */
export function errorAnswer(
  response: Response,
  body: ReadChunks | undefined,
  limit: number,
  retryIndex: number,
  timing: RetryTiming,
  url: string,
): { error: APIError; wait: RetryWait } {
  const { status, headers } = response;
  return {
    error: buildAPIError(
      status,
      response.statusText,
      headers,
      body ? textOf(within(body, limit), Math.min(body.received, limit)) : "",
    ),
    wait: retryWait(retryIndex, headers, timing, url),
  };
}

/**
 * The error for a JSON answer of `body.received` bytes (or a declared `Content-Length` of as many, with no
 * chunk read) over `maxBodyBytes` = `limit`, holding the body's first 2000 characters.
 */
export function bodyTooLarge(body: ReadChunks, limit: number): ResponseTooLargeError {
  // Only the start is shown: decoding all of a body at its bound would cost as much again.
  const decoder = new TextDecoder();
  let head = "";
  for (const chunk of within(body, limit)) {
    head += decoder.decode(chunk.subarray(0, HEAD_BYTES), { stream: true });
    if (head.length >= BODY_HEAD_CHARS) break;
  }
  return new ResponseTooLargeError(
    `The response body is larger than maxBodyBytes (${limit} bytes); the request was cancelled.`,
    {
      limitName: "maxBodyBytes",
      limit,
      receivedBytes: body.received,
      partialResponse: null,
      body: head.slice(0, BODY_HEAD_CHARS),
    },
  );
}

/**
 * Follows `response`, the redirect answering the first fetch of `url` (with `init`), hop by hop, and gives
 * the first answer that is not a redirect to follow. Each hop goes where `followRedirect` says, with the
 * headers it says (no credential to another origin), or ends in the `RedirectError` it throws.
 */
export async function redirected(
  response: Response,
  url: string,
  init: FetchInit,
  config: Pick<TransportConfig, "fetch" | "secretHeaders" | "logger">,
): Promise<Response> {
  const { headers } = init;
  let next = { target: url, headers };
  for (let hop = 0; isRedirect(response); hop++) {
    next = await followRedirect(response, redirectLocation(response), next.target, hop, {
      url,
      method: init.method,
      headers,
      secretHeaders: config.secretHeaders,
      logger: config.logger,
    });
    response = await config.fetch(next.target, { ...init, headers: next.headers });
  }
  return response;
}
