/**
 * The `output_text` and `_request_id` conveniences. Both are attached as non-enumerable properties, so
 * `JSON.stringify(response)` is exactly what the server sent and can be stored or replayed as is.
 */

import {
  type CompactResource,
  type ResponseResource,
  type ResponseWithOutputText,
  withOutputText,
} from "../spec/index.js";

/** Set on every object the client resolves from a JSON answer. */
export interface RequestIdField {
  /** The server's `x-request-id` (or `request-id`) header; quote it when reporting a problem. */
  readonly _request_id: string | null;
}

/** What `responses.create()` resolves to without `stream: true`. */
export type ResponseResult = ResponseWithOutputText & RequestIdField;

/** What `responses.compact()` resolves to. */
export type CompactResult = CompactResource & RequestIdField;

export function withRequestId<T extends object>(value: T, requestId: string | null): T & RequestIdField {
  Object.defineProperty(value, "_request_id", { value: requestId, enumerable: false, configurable: true });
  return value as T & RequestIdField;
}

export function toResponseResult(value: ResponseResource, requestId: string | null): ResponseResult {
  return withOutputText(withRequestId(value, requestId));
}
