/**
 * The server kit's web-standard part, the one the portable `openresponses/server` build exports: a fetch
 * handler for any runtime, the engine it is built on (shared with WebSocket mode), the event writer, the
 * SSE encoder and the response store. A new export of the kit goes here unless it needs Node.
 */

export { type ApiKeyCheck, createApiKeyCheck } from "./auth.js";
export { genericCompactor, packItems, unpackItems } from "./compactor.js";
export {
  type ContextItem,
  type ContextLimits,
  type ContextRequest,
  type ContextResult,
  resolveContext,
} from "./context.js";
export { assertDialect, DIALECTS, type Dialect, inDialect } from "./dialect.js";
export {
  type CompactResult,
  createResponsesEngine,
  type KitErrorPhase,
  type ResponsesEngine,
  type ResponsesEngineOptions,
  type RunOptions,
  type RunResult,
} from "./engine.js";
export {
  EventWriter,
  type EventWriterOptions,
  InvalidModelPartError,
  isTerminalEvent,
} from "./event-writer.js";
export {
  type CorsOptions,
  createResponsesHandler,
  DEFAULT_MAX_BODY_BYTES,
  type ResponsesHandler,
  type ResponsesHandlerOptions,
} from "./handler.js";
export type { IdempotencyOptions } from "./idempotency.js";
export { type IdGenerator, type IdKind, randomIds, sequentialIds } from "./ids.js";
export { type InProcessFetch, inProcessFetch } from "./in-process-fetch.js";
export {
  createKVStore,
  DEFAULT_KV_MAX_ENTRY_BYTES,
  DEFAULT_KV_TIMEOUT_MS,
  DEFAULT_KV_TTL_SECONDS,
  type KeyValueStorage,
  KVResponseStore,
  type KVStoreOptions,
  ResponseStoreUnavailableError,
} from "./kv-store.js";
export { ModelError, type ModelErrorInit } from "./model-error.js";
export { type ParseResult, parseCompactBody, parseCreateBody } from "./request-validation.js";
export { initialResource, type ResourceInit } from "./resource.js";
export {
  errorResponse,
  type KitError,
  kitError,
  type SpecErrorObject,
  type SpecErrorType,
} from "./spec-error.js";
export { encodeSSE, formatSSE } from "./sse.js";
export { createMemoryStore, MemoryResponseStore, type MemoryStoreOptions } from "./store.js";
export { createToolPolicy, type ToolPolicy } from "./tool-policy.js";
