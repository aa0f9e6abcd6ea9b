/**
 * The narrow view of the client that the parts built on it need. `Conversation`, the tool loop and the
 * WebSocket session depend on these shapes, not on the `OpenResponses` class, so the client's front
 * door can import them without an import circle, and any object of the same shape (a test double, a
 * wrapper) works in its place.
 */

import type { CompactResource, CompactResponseMethodPublicBody, CreateResponseBody } from "../spec/index.js";
import type { ResponseStreamEvent } from "../streaming/index.js";
import type { RequestOptions } from "./options.js";

/** What `client.responses` offers to a helper that runs turns: one streamed turn, and compaction. */
export interface ResponsesAPI {
  stream(body: CreateResponseBody, options?: RequestOptions): AsyncIterable<ResponseStreamEvent>;
  compact(body: CompactResponseMethodPublicBody, options?: RequestOptions): PromiseLike<CompactResource>;
}

/** A client as `Conversation` sees it: `new OpenResponses()` is one. */
export interface ResponsesClient {
  readonly responses: ResponsesAPI;
  /** Default protocol-checker mode for streams. */
  readonly strict: boolean;
  /** Filled into a body without `model`. */
  readonly model: string | undefined;
}
