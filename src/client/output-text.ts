/**
 * The `output_text` and `_request_id` conveniences. Both are attached as non-enumerable properties, so
 * `JSON.stringify(response)` is exactly what the server sent and can be stored or replayed as is.
 */

import { type CompactResource, outputText, type ResponseResource } from "../spec/index.js";

/** Set on every object the client resolves from a JSON answer. */
export interface RequestIdField {
  /** The server's `x-request-id` (or `request-id`) header; quote it when reporting a problem. */
  readonly _request_id: string | null;
}

/** What `responses.create()` resolves to without `stream: true`. */
export type ResponseResult = ResponseResource &
  RequestIdField & {
    /** The text of every `output_text` part of every assistant message, joined (empty when none). */
    readonly output_text: string;
  };

/** What `responses.compact()` resolves to. */
export type CompactResult = CompactResource & RequestIdField;

export function withRequestId<T extends object>(value: T, requestId: string | null): T & RequestIdField {
  Object.defineProperty(value, "_request_id", { value: requestId, enumerable: false, configurable: true });
  return value as T & RequestIdField;
}

export function toResponseResult(value: ResponseResource, requestId: string | null): ResponseResult {
  const response = withRequestId(value, requestId);
  // A getter, so that a caller who edits `output` still reads the right text.
  Object.defineProperty(response, "output_text", {
    get: () => outputText(response),
    enumerable: false,
    configurable: true,
  });
  return response as ResponseResult;
}
