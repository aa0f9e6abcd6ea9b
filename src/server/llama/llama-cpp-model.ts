/**
 * `llamaCppModel()`: a local GGUF model as a `Model` of the kit, run in this process by llama.cpp
 * through the optional `node-llama-cpp` package. The model is loaded once (on first use, or by
 * `load()`) and serves every request: each generates in its own sequence of one shared context, as
 * many at once as there are sequences. The kit brings the rest (state, WebSocket mode, compaction).
 */

import { basename } from "node:path";
import type { ModelPart, ModelRequest } from "../model.js";
import { generate } from "./generate.js";
import { type LlamaRuntime, loadRuntime } from "./load.js";
import type { LlamaCppModel, LlamaCppModelOptions } from "./options.js";
import { planGeneration, Refusal } from "./plan.js";

function checkOptions(options: LlamaCppModelOptions): void {
  if (typeof options?.modelPath !== "string" || options.modelPath === "") {
    throw new TypeError("llamaCppModel() needs a modelPath: the path of a .gguf file.");
  }
  for (const key of ["contextSize", "sequences", "threads", "maxOutputTokens"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new TypeError(`llamaCppModel(): ${key} must be a positive integer (got ${String(value)}).`);
    }
  }
}

/**
 * A local GGUF model, served through `node-llama-cpp` (an optional package: `npm install
 * node-llama-cpp`). Node only.
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
export function llamaCppModel(options: LlamaCppModelOptions): LlamaCppModel {
  checkOptions(options);
  let loading: Promise<LlamaRuntime> | undefined;
  const runtime = (): Promise<LlamaRuntime> => {
    if (!loading) {
      const pending = loadRuntime(options);
      // A failed load (a missing file, a missing package) is tried again by the next request.
      pending.catch(() => {
        if (loading === pending) loading = undefined;
      });
      loading = pending;
    }
    return loading;
  };
  const stops = new Set<AbortController>();

  async function* model(request: ModelRequest): AsyncGenerator<ModelPart, void, undefined> {
    const loaded = await runtime();
    // Thrown before the first part, a refusal (a prompt longer than the window, an image) is the
    // HTTP answer: a 400 naming what is wrong, not a failed stream.
    const plan = await planGeneration(loaded, request, options);
    if (plan instanceof Refusal) throw plan;
    const stop = new AbortController();
    const onAbort = () => stop.abort(request.signal.reason);
    if (request.signal.aborted) return;
    request.signal.addEventListener("abort", onAbort, { once: true });
    stops.add(stop);
    try {
      yield* generate(loaded, plan, request, options, stop);
    } finally {
      stops.delete(stop);
      request.signal.removeEventListener("abort", onAbort);
    }
  }

  return Object.assign(model, {
    defaultModel: options.name ?? basename(options.modelPath).replace(/\.gguf$/i, ""),
    async load() {
      return (await runtime()).info;
    },
    async close() {
      const pending = loading;
      loading = undefined;
      for (const stop of stops) stop.abort(new Error("The model was closed."));
      const loaded = await pending?.catch(() => undefined);
      if (!loaded) return;
      loaded.pool.close(new Error("The model was closed."));
      // Stopped generations give their sequence back at once; one whose consumer never resumes it
      // (outside the kit) is not waited for past a few seconds.
      await Promise.race([loaded.pool.idle(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      await loaded.context.dispose();
      await loaded.model.dispose();
    },
  });
}
