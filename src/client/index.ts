/** The HTTP client: `new OpenResponses(options)` and `client.responses.create/stream/compact`. */

export { type AcceptedAnswer, APIPromise, type WithResponse } from "../core/api-promise.js";
export { DEFAULT_BASE_URL, normalizeBaseURL } from "../core/base-url.js";
export type { Logger, LogLevel } from "../core/logger.js";
export {
  type ApiKeySource,
  type ClientOptions,
  DEFAULT_CLIENT_MAX_BODY_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type FetchLike,
  type FetchOptions,
  type HeaderValues,
  type RequestOptions,
} from "../core/options.js";
export type * from "../core/request-types.js";
export type { RetryTiming } from "../core/retry.js";
export type {
  JSONResult,
  Transport,
  TransportConfig,
  TransportRequest,
  TransportResult,
} from "../core/transport.js";
export { OpenResponses, type OpenResponsesOptions } from "./client.js";
export type { CompactResult, RequestIdField, ResponseResult } from "./output-text.js";
export { ParsedResponseStream } from "./parsed-stream.js";
export { PendingResponseStream } from "./pending-stream.js";
export {
  type ParseRequestBody,
  Responses,
  type ResponsesContext,
  type StreamResponseBody,
} from "./responses.js";
export {
  type FetchInputItemsPage,
  type InputItem,
  InputItems,
  type InputItemsList,
  type InputItemsListParams,
  InputItemsPage,
  InputItemsPagePromise,
  type ResponseDeleted,
} from "./stored-responses.js";
