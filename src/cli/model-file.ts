/**
 * `--model-file PATH.gguf` for `serve` and `chat`: a local GGUF model run by llama.cpp (through the
 * optional node-llama-cpp package) in place of the built-in model, with the flags that size it. The
 * model is loaded before the command starts, so a wrong path or a missing package is one clear line
 * at startup rather than a failure on the first request.
 */

import {
  type LlamaCppGpu,
  type LlamaCppModel,
  type LlamaCppModelInfo,
  LlamaCppUnavailableError,
  llamaCppModel,
} from "../server/llama/index.js";
import { NODE_LLAMA_CPP_VERSION } from "../server/llama/load.js";
import { integerOption, type OptionSpec, type Parsed, stringOption, UsageError } from "./args.js";
import { describeError } from "./describe-error.js";

export const MODEL_FILE_OPTIONS = {
  "model-file": { type: "string" },
  "context-size": { type: "string" },
  threads: { type: "string" },
  gpu: { type: "string" },
  sequences: { type: "string" },
  seed: { type: "string" },
} as const satisfies OptionSpec;

export const MODEL_FILE_HELP = `  --model-file <path>
                    Serve a local GGUF model, run in this process by llama.cpp, instead of the
                    built-in model (needs the node-llama-cpp package: npm install node-llama-cpp).
  --context-size <n>
                    With --model-file: tokens per request, input and output together
                    (default: the model's trained context, at most 4096).
  --threads <n>     With --model-file: CPU threads (default one per core; on a machine other
                    work keeps busy, 1 is often far faster).
  --gpu <kind>      With --model-file: auto (default: a GPU when one works), cuda, vulkan,
                    metal or off.
  --sequences <n>   With --model-file: requests that generate at once (default 2; more wait).
  --seed <n>        With --model-file: seed sampling, so a request always gets the same answer.`;

const GPUS = ["auto", "cuda", "vulkan", "metal", "off"] as const;

/** The model the flags describe, or undefined without `--model-file` (other model flags are then refused). */
export function modelFileFromFlags(
  values: Parsed["values"],
  defaults: { sequences?: number } = {},
): LlamaCppModel | undefined {
  const modelPath = stringOption(values, "model-file");
  if (modelPath === undefined) {
    const stray = ["context-size", "threads", "gpu", "sequences", "seed"].find(
      (name) => values[name] !== undefined,
    );
    if (stray) throw new UsageError(`--${stray} applies to a local model: it needs --model-file.`);
    return undefined;
  }
  const gpu = stringOption(values, "gpu") ?? "auto";
  if (!(GPUS as readonly string[]).includes(gpu)) {
    throw new UsageError(`--gpu must be one of ${GPUS.join(", ")} (got "${gpu}").`);
  }
  const optional = (name: string, max: number) =>
    values[name] === undefined ? undefined : integerOption(values, name, 0, 1, max);
  const contextSize = optional("context-size", 1 << 21);
  const threads = optional("threads", 1024);
  const sequences = optional("sequences", 256) ?? defaults.sequences;
  const seed = values.seed === undefined ? undefined : integerOption(values, "seed", 0, 0, 2 ** 31 - 1);
  return llamaCppModel({
    modelPath,
    gpu: gpu === "off" ? false : (gpu as LlamaCppGpu),
    ...(contextSize === undefined ? {} : { contextSize }),
    ...(threads === undefined ? {} : { threads }),
    ...(sequences === undefined ? {} : { sequences }),
    ...(seed === undefined ? {} : { seed }),
  });
}

/** Loads the model, or says in one sentence why it cannot be (the file, the package, the memory). */
export async function loadModelFile(
  model: LlamaCppModel,
  command: "serve" | "chat",
): Promise<{ info: LlamaCppModelInfo } | { error: string }> {
  try {
    return { info: await model.load() };
  } catch (error) {
    if (error instanceof LlamaCppUnavailableError) {
      const pkg = `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`;
      return {
        error:
          `--model-file runs the model with the node-llama-cpp package, which is not installed: npm install ${pkg} ` +
          `(or in one command: npx -p openresponses -p ${pkg} openresponses ${command} --model-file ...).`,
      };
    }
    return { error: `cannot load the model: ${describeError(error, undefined)}` };
  }
}

/** One line on what was loaded, e.g. "context 4096 tokens per request, 2 at once, CPU (4 threads)". */
export function describeModel(info: LlamaCppModelInfo): string {
  const threads = `${info.threads} thread${info.threads === 1 ? "" : "s"}`;
  const where =
    info.gpu === false ? `CPU (${threads})` : `${info.gpu}, ${info.gpuLayers} layers on the GPU, ${threads}`;
  return `context ${info.contextSize} tokens per request, ${info.sequences} at once, ${where}, chat format ${info.chatFormat}`;
}
