/**
 * `llamaCppModel` in the portable build of `openresponses/server` (Workers, edge runtimes, browsers):
 * the same names and types, but llama.cpp runs in a Node process only, so it throws a clear error.
 * Importing only types from the real modules keeps node-llama-cpp out of this build.
 */

import type * as llama from "./index.js";

/**
 * A local GGUF model, run by llama.cpp in the Node process through `node-llama-cpp` (an optional
 * package: `npm install node-llama-cpp`), as a `Model` of the kit. Node only: the portable build of
 * `openresponses/server` (Workers, browsers, edge) throws here. See docs/local-models.md.
 *
 * @example
 * ```ts
 * import { createResponsesHandler, llamaCppModel, serve } from "openresponses/server";
 *
 * const model = llamaCppModel({ modelPath: "./models/Llama-3.2-1B-Instruct-Q4_K_M.gguf" });
 * await model.load(); // optional: load now rather than on the first request
 * const server = await serve({ handler: createResponsesHandler({ model }), port: 8080 });
 * ```
 */
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
