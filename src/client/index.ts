/**
 * The client's front door: `new OpenResponses(options)` and `client.responses.*`. Internal imports use
 * this folder index; users get these names (and the plumbing's public types) from `src/index.ts`.
 */

export { OpenResponses, type OpenResponsesOptions } from "./client.js";
export type { CompactResult, RequestIdField, ResponseResult } from "./output-text.js";
export { ParsedResponseStream } from "./parsed-stream.js";
export { PendingResponseStream } from "./pending-stream.js";
export { type ParseRequestBody, Responses, type StreamResponseBody } from "./responses.js";
export {
  type InputItem,
  InputItems,
  type InputItemsList,
  type InputItemsListParams,
  InputItemsPage,
  InputItemsPagePromise,
  type ResponseDeleted,
} from "./stored-responses.js";
