/**
 * `openresponses/server`, the portable build (Workers, edge runtimes, browsers, and the default for
 * bundlers that do not set the `node` export condition). Web standards only: no Node built-in and no `ws`
 * at load time. The Node adapter's names and `llamaCppModel` are there with the same types, but throw a
 * clear error.
 *
 * This list is the server's public surface: a name is here because a server author needs it. The `node`
 * build (`./index.ts`) exports the same names, with the real Node adapter; test/server/entries.test.ts
 * checks that the two agree. Declarations are generated from this file, so no public type may need
 * `@types/node`.
 *
 * @module openresponses/server
 */

// Bridges: providers as models (any Chat Completions server, Anthropic Messages, Gemini, a stateless
// Open Responses server), and a router that picks one by the request's `model`.
export {
  type AnthropicModelOptions,
  anthropicModel,
  type ChatCompletionsModelOptions,
  chatCompletionsModel,
  type GeminiModelOptions,
  geminiModel,
  type OpenResponsesModelOptions,
  openResponsesModel,
  routeModels,
  type UpstreamOptions,
} from "./bridges/index.js";
// The handler: a fetch handler for any runtime, and the options it takes.
export type { ApiKeyCheck } from "./kit/auth.js";
// Lower level, for custom transports: the engine, the event writer, the SSE encoder, a WebSocket
// connection independent of the socket library.
export type { CompactResult } from "./kit/compact-run.js";
export { genericCompactor } from "./kit/compactor.js";
export type { CorsOptions } from "./kit/cors.js";
export type { Dialect } from "./kit/dialect.js";
export {
  createResponsesEngine,
  type ResponsesEngine,
  type ResponsesEngineOptions,
  type RunOptions,
  type RunResult,
} from "./kit/engine.js";
export type { KitErrorPhase } from "./kit/error-report.js";
export { EventWriter, type EventWriterOptions, InvalidModelPartError } from "./kit/event-writer.js";
export {
  createResponsesHandler,
  DEFAULT_MAX_REQUEST_BODY_BYTES,
  type ResponsesHandler,
  type ResponsesHandlerOptions,
} from "./kit/handler.js";
export type { IdempotencyOptions } from "./kit/idempotency.js";
export { type IdGenerator, type IdKind, randomIds, sequentialIds } from "./kit/ids.js";
// The handler as the client's `fetch`, to use a model (a bridge) in process with no server.
export { type InProcessFetch, inProcessFetch } from "./kit/in-process-fetch.js";
export type { KitError, SpecErrorObject, SpecErrorType } from "./kit/kit-error.js";
export { errorResponse } from "./kit/kit-error.js";
export {
  createKVStore,
  DEFAULT_KV_MAX_ENTRY_BYTES,
  DEFAULT_KV_TIMEOUT_MS,
  DEFAULT_KV_TTL_SECONDS,
  type KeyValueStorage,
  KVResponseStore,
  type KVStoreOptions,
  ResponseStoreUnavailableError,
} from "./kit/kv-store.js";
// Response stores: in memory (the default) and on a caller's `unstorage` (shared between replicas).
export { createMemoryStore, MemoryResponseStore, type MemoryStoreOptions } from "./kit/memory-store.js";
// What a model throws to choose the HTTP answer (a refusal, an upstream's 429).
export { ModelError, type ModelErrorInit } from "./kit/model-error.js";
export type { ParseResult } from "./kit/request-validation.js";
export { encodeSSE } from "./kit/sse.js";
export { createToolPolicy, type ToolPolicy } from "./kit/tool-policy.js";
// Local GGUF models (llama.cpp, in a Node process): stand-ins with the names and types of
// `./llama/index.ts`, `llamaCppModel` throwing.
export {
  type LlamaCppGpu,
  type LlamaCppModel,
  type LlamaCppModelInfo,
  type LlamaCppModelOptions,
  LlamaCppUnavailableError,
  llamaCppModel,
} from "./llama/unavailable.js";
export { MOCK_MODEL_NAME, type MockModel, type MockModelOptions, mockModel } from "./mock/model.js";
// The model contract, and the deterministic built-in model.
export type {
  Compactor,
  CompactRequest,
  ExtensionItemPart,
  Model,
  ModelPart,
  ModelRequest,
  ResponseStore,
  StoredResponse,
} from "./model.js";
// The Node adapter's stand-ins: the same names and types as `./node/index.ts`, each throwing.
export {
  attachWebSocketMode,
  type NodeHttpServer,
  type RunningServer,
  type ServeOptions,
  type ServeWebSocketOptions,
  serve,
  type UpgradeListener,
  type UpgradeServer,
  type WebSocketMode,
  type WebSocketModeOptions,
} from "./node/unavailable.js";
export { type ConnectionOptions, ResponsesConnection, type WebSocketEngine } from "./websocket/connection.js";
export { DEFAULT_CONNECTION_AGE_MS } from "./websocket/limits.js";
