/**
 * Local GGUF models through node-llama-cpp: part of the `node` build of `openresponses/server` only;
 * the portable build has `./unavailable.ts` in its place.
 */

export { LlamaCppUnavailableError } from "./errors.js";
export { llamaCppModel } from "./llama-cpp-model.js";
export type { LlamaCppGpu, LlamaCppModel, LlamaCppModelInfo, LlamaCppModelOptions } from "./options.js";
