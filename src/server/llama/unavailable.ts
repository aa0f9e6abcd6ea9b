/**
 * `llamaCppModel` in the portable build of `openresponses/server` (Workers, edge runtimes, browsers):
 * the same names and types, but llama.cpp runs in a Node process only, so it throws a clear error.
 * Importing only types from the real modules keeps node-llama-cpp out of this build.
 */

import type * as llama from "./index.js";

export const llamaCppModel: typeof llama.llamaCppModel = () => {
  throw new Error(
    'llamaCppModel() runs a GGUF model in a Node process (through the "node-llama-cpp" package), and this is ' +
      'the portable build of "openresponses/server" (chosen by a runtime or bundler that did not set the ' +
      '"node" export condition). Serve the model from Node (openresponses serve --model-file model.gguf) ' +
      "and reach it over HTTP from here.",
  );
};

export { LlamaCppUnavailableError } from "./errors.js";
export type { LlamaCppGpu, LlamaCppModel, LlamaCppModelInfo, LlamaCppModelOptions } from "./index.js";
