/**
 * One upstream turn as a stream of parsed events: POST the request, read the answer as it arrives,
 * and release the connection however the loop ends (finished, failed, or left early by a caller who
 * went away). An upstream that ignores `stream` and answers with one JSON body is read too (bounded),
 * as a single event marked `body`.
 */

import type { ModelRequest } from "../model.js";
import { readJSONEvents, type SSEReadOptions, type UpstreamEvent } from "./sse-reader.js";
import { postUpstream, type UpstreamOptions, type UpstreamTarget } from "./upstream.js";
import { upstreamStreamError } from "./upstream-errors.js";

/** The largest whole JSON answer read. */
const MAX_JSON_BODY = 32 * 1024 * 1024;

export async function* streamUpstream(
  url: string,
  body: unknown,
  options: UpstreamOptions,
  target: UpstreamTarget,
  request: Pick<ModelRequest, "signal" | "headers">,
  read: Pick<SSEReadOptions, "onDone" | "maxEventSize"> = {},
): AsyncGenerator<UpstreamEvent, void, undefined> {
  const call = await postUpstream(url, body, options, target, request);
  try {
    const type = call.response.headers.get("content-type") ?? "";
    if (/^application\/(?:[\w.+-]*\+)?json/i.test(type)) {
      yield {
        event: undefined,
        data: await readJSONBody(call.response, target.name, request.signal),
        body: true,
      };
      return;
    }
    yield* readJSONEvents(call.response.body, { ...read, upstream: target.name, signal: request.signal });
  } finally {
    call.close();
  }
}

async function readJSONBody(response: Response, upstream: string, signal: AbortSignal): Promise<unknown> {
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_JSON_BODY) throw upstreamStreamError(upstream, "answer is too large.");
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw upstreamStreamError(
      upstream,
      `broke off: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (text.length > MAX_JSON_BODY) throw upstreamStreamError(upstream, "answer is too large.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw upstreamStreamError(upstream, "answer is not JSON.");
  }
}
