/**
 * One answer from the loaded model, as the kit's parts, streamed as the engine produces it:
 *
 * - the engine's text and segments → `text`, `reasoning` and message phases (`chunk-reader.ts`); an
 *   answer that ends at once → an empty message;
 * - each function call the engine parsed (name from the offered list, arguments in the function's
 *   grammar) → `function_call`, as soon as it is complete;
 * - `usage` from the engine's token counts (the prompt's reused prefix reported as cached tokens), then
 *   `incomplete` (reason `max_output_tokens`) when the budget or, without truncation, the window ran out.
 *
 * The request's signal, the consumer leaving early and `close()` all stop the generation; the sequence
 * goes back to the pool only once the engine has stopped using it.
 */

import type { LlamaContextSequence } from "node-llama-cpp";
import type { ModelPart, ModelRequest } from "../model.js";
import { ChunkReader } from "./chunk-reader.js";
import { forcedCallWrapper } from "./forced-call.js";
import type { LlamaRuntime } from "./load.js";
import type { LlamaCppModelOptions } from "./options.js";
import { PartQueue } from "./part-queue.js";
import type { GenerationPlan } from "./plan.js";

/** Sampling as the request asks, with the specification's defaults (what the response reports). */
function sampling(request: ModelRequest, options: LlamaCppModelOptions) {
  const { body } = request;
  const presence = Math.max(0, body.presence_penalty ?? 0);
  const frequency = Math.max(0, body.frequency_penalty ?? 0);
  return {
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    // The engine's default seed is fixed, which would give every request for a prompt the same answer.
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
    // The engine's own repeat penalty is off unless asked for: the request's penalties default to 0.
    repeatPenalty:
      presence > 0 || frequency > 0
        ? { penalty: 1, presencePenalty: Math.min(1, presence), frequencyPenalty: Math.min(1, frequency) }
        : (false as const),
    ...(body.reasoning?.effort === "none" ? { budgets: { thoughtTokens: 0 } } : {}),
  };
}

/** The window filled while generating, under `truncation: "disabled"`: the answer is incomplete. */
class WindowFull extends Error {}

const windowFull = (): never => {
  throw new WindowFull("The context window is full.");
};

export async function* generate(
  runtime: LlamaRuntime,
  plan: GenerationPlan,
  request: ModelRequest,
  options: LlamaCppModelOptions,
  stop: AbortController,
): AsyncGenerator<ModelPart, void, undefined> {
  const sequence: LlamaContextSequence = await runtime.pool.acquire(
    stop.signal,
    (candidate) => candidate.compareContextTokens(plan.promptTokens).firstDifferentIndex,
  );
  const cached = Math.min(
    sequence.compareContextTokens(plan.promptTokens).firstDifferentIndex,
    plan.promptTokens.length,
  );
  const meter = sequence.tokenMeter.getState();
  const queue = new PartQueue<ModelPart>();
  const reader = new ChunkReader(queue, request.body.reasoning?.effort !== "none");
  const tools = plan.functions
    ? {
        functions: plan.functions,
        documentFunctionParams: true,
        ...(plan.maxCalls === undefined ? {} : { maxParallelFunctionCalls: plan.maxCalls }),
        onFunctionCall: (call: { functionName: string; params: unknown }) => {
          reader.answered = true;
          queue.push({
            type: "function_call",
            name: call.functionName,
            arguments: JSON.stringify(call.params ?? {}),
          });
        },
      }
    : plan.grammar
      ? { grammar: plan.grammar }
      : {};
  let chat: InstanceType<LlamaRuntime["module"]["LlamaChat"]> | undefined;
  let generation: Promise<unknown> | undefined;
  try {
    chat = new runtime.module.LlamaChat({
      contextSequence: sequence,
      chatWrapper: plan.forceCall
        ? forcedCallWrapper(runtime.chatWrapper, runtime.emptyText)
        : runtime.chatWrapper,
    });
    const answer = chat.generateResponse(plan.history, {
      ...tools,
      ...sampling(request, options),
      maxTokens: plan.maxTokens,
      signal: stop.signal,
      stopOnAbortSignal: true,
      trimWhitespaceSuffix: true,
      onResponseChunk: (chunk) => reader.read(chunk),
      // Without truncation nothing of the context may be dropped: a full window ends the answer.
      ...(plan.truncate ? {} : { contextShift: { strategy: windowFull } }),
    });
    generation = answer;
    answer.then(
      () => queue.end(),
      (error: unknown) => queue.fail(error),
    );
    let full = false;
    try {
      yield* queue.drain();
      await answer;
    } catch (error) {
      if (!(error instanceof WindowFull)) throw error;
      full = true;
    }
    // A model that ends its turn at once still answered: with an empty message, as providers do.
    if (!reader.answered && !stop.signal.aborted) yield { type: "text", delta: "" };
    const used = sequence.tokenMeter.diff(meter);
    // Usage first: the kit ends the response at `incomplete`, and reads nothing after it.
    yield {
      type: "usage",
      usage: {
        input_tokens: plan.promptTokens.length,
        output_tokens: used.usedOutputTokens,
        total_tokens: plan.promptTokens.length + used.usedOutputTokens,
        input_tokens_details: { cached_tokens: cached },
        output_tokens_details: { reasoning_tokens: Math.min(reader.reasoningTokens, used.usedOutputTokens) },
      },
    };
    const result = full ? undefined : await answer;
    if (full || result?.metadata.stopReason === "maxTokens") {
      yield { type: "incomplete", reason: "max_output_tokens" };
    }
  } finally {
    // Reached at the end, or early when the client left or the kit ended the response: stop the
    // engine, and lend the sequence again only once it is idle.
    stop.abort(new Error("The generation was stopped."));
    await generation?.catch(() => {});
    chat?.dispose({ disposeSequence: false });
    runtime.pool.release(sequence);
  }
}
