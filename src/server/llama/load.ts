/**
 * Loading a GGUF model with node-llama-cpp, an optional package imported only here and only when a
 * model is first used, so that `openresponses/server` loads (and the rest of the kit works) where it
 * is not installed. One llama.cpp binding per GPU setting is shared by every model of the process.
 */

import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type {
  ChatWrapper,
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  LlamaText,
} from "node-llama-cpp";
import { LlamaCppUnavailableError } from "./errors.js";
import type { LlamaCppModelInfo, LlamaCppModelOptions } from "./options.js";
import { SequencePool } from "./sequence-pool.js";

export type NodeLlamaCpp = typeof import("node-llama-cpp");

/** The version the package is tested with; the install hint names it. */
export const NODE_LLAMA_CPP_VERSION = "3.21.1";

/** Everything one loaded model holds; `close()` frees it. */
export interface LlamaRuntime {
  module: NodeLlamaCpp;
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  chatWrapper: ChatWrapper;
  pool: SequencePool<LlamaContextSequence>;
  emptyText: LlamaText;
  info: LlamaCppModelInfo;
}

let importing: Promise<NodeLlamaCpp> | undefined;

/**
 * The package is imported by a name held in a variable: bundlers leave such an import alone, so bundling
 * a server that uses this kit never tries to pack llama.cpp's native code (Node resolves it at run time).
 */
const importByName = (name: string): Promise<unknown> => import(name);

/** `import("node-llama-cpp")`, with an error that says how to install it when it is missing. */
export function importNodeLlamaCpp(importer: (name: string) => Promise<unknown> = importByName) {
  importing ??= (importer("node-llama-cpp") as Promise<NodeLlamaCpp>).catch((error: unknown) => {
    importing = undefined;
    const code = (error as { code?: unknown }).code;
    // The package itself, not one of its dependencies (whose message names node-llama-cpp's path).
    const missing =
      (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
      /Cannot find (package|module) ['"]node-llama-cpp['"]/.test(String((error as Error).message));
    if (!missing) throw error;
    throw new LlamaCppUnavailableError(
      `llamaCppModel() runs GGUF models with the "node-llama-cpp" package, which is not installed: ` +
        `npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION} (its prebuilt CPU binaries need no build step; ` +
        `with npx: npx -p openresponses -p node-llama-cpp@${NODE_LLAMA_CPP_VERSION} openresponses ...).`,
      { cause: error },
    );
  });
  return importing;
}

const bindings = new Map<string, Promise<Llama>>();

/** The shared llama.cpp binding for a GPU setting; prebuilt binaries only (never a build from source). */
function binding(module: NodeLlamaCpp, gpu: LlamaCppModelOptions["gpu"]): Promise<Llama> {
  const key = String(gpu ?? "auto");
  let pending = bindings.get(key);
  if (!pending) {
    pending = module.getLlama({ gpu: gpu ?? "auto", build: "never", logLevel: module.LlamaLogLevel.error });
    pending.catch(() => bindings.delete(key));
    bindings.set(key, pending);
  }
  return pending;
}

export const DEFAULT_CONTEXT_SIZE = 4096;
export const DEFAULT_SEQUENCES = 2;

export async function loadRuntime(options: LlamaCppModelOptions): Promise<LlamaRuntime> {
  const module = await importNodeLlamaCpp();
  const fileBytes = await stat(options.modelPath).then(
    (file) => file.size,
    (error: NodeJS.ErrnoException) => {
      throw new Error(`Cannot read the model file ${options.modelPath}: ${error.code ?? error.message}.`, {
        cause: error,
      });
    },
  );
  const llama = await binding(module, options.gpu);
  const model = await llama.loadModel({
    modelPath: options.modelPath,
    ...(options.gpuLayers === undefined ? {} : { gpuLayers: options.gpuLayers }),
  });
  const sequences = options.sequences ?? DEFAULT_SEQUENCES;
  // One thread per core that does math: node-llama-cpp's own default is at least 4, which on a
  // smaller machine puts several spinning threads on each core and makes generation many times slower.
  const threads = options.threads ?? Math.max(1, llama.cpuMathCores);
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize: options.contextSize ?? Math.min(DEFAULT_CONTEXT_SIZE, model.trainContextSize),
      sequences,
      threads,
    });
  } catch (error) {
    await model.dispose();
    throw error;
  }
  const chatWrapper = module.resolveChatWrapper(model);
  const pool = new SequencePool(Array.from({ length: sequences }, () => context.getSequence()));
  const functions = chatWrapper.settings.functions;
  const info: LlamaCppModelInfo = {
    name: options.name ?? basename(options.modelPath).replace(/\.gguf$/i, ""),
    modelPath: options.modelPath,
    fileBytes,
    contextSize: context.contextSize,
    trainContextSize: model.trainContextSize,
    sequences,
    threads,
    gpu: llama.gpu,
    gpuLayers: model.gpuLayers,
    chatFormat: chatWrapper.wrapperName,
    parallelToolCalls: functions.parallelism != null,
    reasoning: chatWrapper.settings.segments?.thought != null,
  };
  return { module, llama, model, context, chatWrapper, pool, emptyText: module.LlamaText([]), info };
}
