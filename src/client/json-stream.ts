/**
 * Some servers ignore `stream: true` and answer with the finished JSON resource (breaking rule S1).
 * Rather than fail, the client delivers it as a one-event stream ending in the matching terminal event;
 * the protocol checker records the missing lifecycle (and throws in strict mode). Rare, so it is loaded
 * (through `src/on-demand.ts`) when a server does it.
 */

import type { AcceptedAnswer } from "../core/api-promise.js";
import { readBodyWithin } from "../core/body.js";
import type { Logger } from "../core/logger.js";
import type { TransportResult } from "../core/transport.js";
import { readerResponse } from "../core/unread-body.js";
import { APIError } from "../errors.js";
import { redactError } from "../internal/redact.js";
import { ResponseStream, type ResponseStreamOptions } from "../streaming/index.js";

/** A stream request's answer that is JSON: its stream is made now, and `asResponse()` gets the answer. */
export async function answerFromJSON(
  accepted: TransportResult,
  options: ResponseStreamOptions,
  maxBodyBytes: number,
  logger: Logger,
): Promise<AcceptedAnswer<ResponseStream>> {
  const { httpResponse: response, reader } = accepted;
  const stream = await streamFromJSON(
    reader === null ? response : readerResponse(reader, response),
    options,
    maxBodyBytes,
    logger,
  );
  return { response, requestId: accepted.requestId, read: () => stream, unread: () => response };
}

/** The JSON answer to a stream request, as a stream of its one terminal event. */
export async function streamFromJSON(
  response: Response,
  options: ResponseStreamOptions,
  maxBodyBytes: number,
  logger: Logger,
): Promise<ResponseStream> {
  const text = await readBodyWithin(response, maxBodyBytes);
  let resource: unknown;
  try {
    resource = JSON.parse(text);
  } catch (cause) {
    throw new APIError(`${response.status} Asked for a stream; the server answered with invalid JSON.`, {
      status: response.status,
      requestId: options.requestId,
      cause: redactError(cause), // JSON.parse quotes the body it could not parse
    });
  }
  const status = (resource as { status?: unknown } | null)?.status;
  const type =
    status === "failed"
      ? "response.failed"
      : status === "incomplete"
        ? "response.incomplete"
        : "response.completed";
  logger.warn(
    `Asked for a stream (stream: true) but the server answered with JSON; delivering it as a single ${type} event.`,
  );
  const data = JSON.stringify({ type, sequence_number: 0, response: resource });
  return ResponseStream.fromMessages(
    (async function* () {
      yield { event: type, data };
    })(),
    options,
  );
}
