/**
 * The contract between the server kit and a model backend. A model never builds protocol events: it
 * yields simple parts, and the event writer turns them into the exact S4–S9 sequence. That keeps every
 * backend (the built-in mock, a wrapped provider, a test double) compliant by construction.
 */

import type {
  Annotation,
  CompactResponseMethodPublicBody,
  CreateResponseBody,
  FunctionTool,
  ItemField,
  ItemParam,
  ResponseResource,
  Usage,
} from "../spec/index.js";

/** A provider-prefixed item (rule X1), e.g. `{ type: "acme:search_result", ... }`. */
export interface ExtensionItemPart {
  type: `${string}:${string}`;
  id?: string;
  status?: string;
  [key: string]: unknown;
}

export type ModelPart =
  /** Appends text to the current assistant message (opening one, and an output_text part, if needed). */
  | { type: "text"; delta: string }
  /** Appends to a refusal content part of the current assistant message. */
  | { type: "refusal"; delta: string }
  /** Attaches an annotation to the current output_text part. */
  | { type: "annotation"; annotation: Annotation }
  /** Sets `phase` on the current (or next) assistant message (rule I4). */
  | { type: "phase"; phase: "commentary" | "final_answer" }
  /** Raw reasoning text for the current reasoning item (opening one if needed). */
  | { type: "reasoning"; delta: string }
  /** Reasoning summary text; a new `summaryIndex` opens a new summary part. */
  | { type: "reasoning_summary"; delta: string; summaryIndex?: number }
  /** Opaque reasoning state to be round-tripped by clients (rule I5). */
  | { type: "reasoning_encrypted"; encryptedContent: string }
  /** A complete function call; `arguments` is streamed as deltas by the writer. */
  | { type: "function_call"; name: string; arguments: string; callId?: string }
  /**
   * Opens a function call whose arguments arrive in pieces (a provider streaming them). `key` is the
   * model's own name for the call in the parts that follow; several calls may be open at once, each
   * with its own output item, and their pieces may interleave.
   */
  | { type: "function_call_start"; key: string; name: string; callId?: string }
  /** Appends a piece of arguments to the open call `key` (a `function_call_arguments.delta` event). */
  | { type: "function_call_delta"; key: string; delta: string }
  /** Closes the call `key`: its `.done` events. Calls still open when the model ends are closed too. */
  | { type: "function_call_end"; key: string }
  /** A provider-prefixed item, emitted as added + done. */
  | { type: "item"; item: ExtensionItemPart }
  /** A compaction item with opaque `encrypted_content`. */
  | { type: "compaction"; encryptedContent: string }
  /** Closes the current item, so that the next text starts a new message. */
  | { type: "end_item" }
  /** Token usage to report; merged into the response's `usage`. */
  | { type: "usage"; usage: Partial<Usage> }
  /** The output budget ran out: the current item ends `incomplete` and so does the response (S9). */
  | { type: "incomplete"; reason: string };

/** What a model is given: the request as sent, plus the full context already resolved (rule P1). */
export interface ModelRequest {
  body: CreateResponseBody;
  /** `previous.input + previous.output + input`, as items, in order. */
  input: Array<ItemParam | ItemField>;
  /** The id the writer will give the response. */
  responseId: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /**
   * The tools the model may call after `tool_choice` / `allowed_tools` narrowed `body.tools` (rule P2).
   * Always set by the kit; calls to other tools are dropped by the kit whatever the model does.
   */
  tools?: FunctionTool[];
  /** The effective tool mode: `none` (no call will pass), `auto`, or `required` (a call is expected). */
  toolChoice?: "none" | "auto" | "required";
  /**
   * The caller's request headers: the HTTP request's, or the WebSocket upgrade's. Absent when the
   * engine is driven directly. A bridge reads `authorization` here when told to forward it upstream.
   */
  headers?: Headers;
}

/** What a compactor is given on `POST /responses/compact`: the request and its resolved context. */
export interface CompactRequest {
  body: CompactResponseMethodPublicBody;
  /** `previous.input + previous.output + input`, as items, in order. */
  input: Array<ItemParam | ItemField>;
  signal: AbortSignal;
}

/** Turns a context into the compacted window returned as `CompactResource.output`. */
export type Compactor = (request: CompactRequest) => Promise<ItemField[]> | ItemField[];

/**
 * A model backend. Throwing mid-stream makes the kit send `error` then `response.failed`; an error
 * with `code`/`type` fields keeps them in the spec error. An error that also carries an HTTP `status`
 * (a `ModelError`), thrown before the model's first part, is the answer itself instead: that status and
 * an E1 body (or a WebSocket `error` message), with no stream. A model may carry its own `compact`; the
 * handler falls back to a generic compactor when it has none.
 */
export type Model = ((request: ModelRequest) => AsyncIterable<ModelPart> | Iterable<ModelPart>) & {
  compact?: Compactor;
  /** The `model` name reported in responses when a request names none. */
  defaultModel?: string;
};

/** A stored response, enough to resolve `previous_response_id` chains. */
export interface StoredResponse {
  response: ResponseResource;
  /** The full input context this response was generated from (already including earlier turns). */
  input: Array<ItemParam | ItemField>;
}

/**
 * Pluggable storage for `previous_response_id`; the default is a bounded in-memory LRU. Only `get` and
 * `set` are required; each optional method turns on more of the kit (see docs/ARCHITECTURE.md):
 * `delete` serves `DELETE /responses/{id}`, and `findItem` lets `item_reference` name an item of any
 * stored response, not only of the `previous_response_id` chain.
 */
export interface ResponseStore {
  get(id: string): Promise<StoredResponse | undefined> | StoredResponse | undefined;
  /**
   * Keeps `value` under `id`. Return (or resolve to) `false` when it was not kept (too large, say):
   * the kit then answers the response with `store: false`, as when `set` throws, so no client is told
   * a response is stored that it cannot find. Returning nothing means it was kept.
   */
  set(id: string, value: StoredResponse): Promise<void> | Promise<boolean> | void | boolean;
  delete?(id: string): Promise<void> | void;
  /** An item (by its `id`) of any stored response: its output, or the input context it was made from. */
  findItem?(itemId: string): Promise<ItemParam | ItemField | undefined> | ItemParam | ItemField | undefined;
}
