/**
 * A fake Chat Completions server's bytes, typed with the `openai` SDK's own chunk and completion types
 * so the fake cannot drift from the real wire format: `data: {chunk}\n\n` blocks, a usage-only last
 * chunk with empty `choices`, then `data: [DONE]\n\n`.
 */

import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import { type FakeReply, sseData } from "../../support/fake-upstream.js";

type Delta = ChatCompletionChunk.Choice.Delta;
type FinishReason = ChatCompletionChunk.Choice["finish_reason"];

export const DONE = "data: [DONE]\n\n";

/** One `chat.completion.chunk` with one choice. */
export function chunk(delta: Delta, finishReason: FinishReason = null): ChatCompletionChunk {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "fake-model",
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The usage-only last chunk that `stream_options.include_usage` asks for. */
export function usageChunk(usage: CompletionUsage): ChatCompletionChunk {
  return { ...chunk({}), choices: [], usage };
}

export const USAGE: CompletionUsage = {
  prompt_tokens: 11,
  completion_tokens: 7,
  total_tokens: 18,
  prompt_tokens_details: { cached_tokens: 3 },
  completion_tokens_details: { reasoning_tokens: 2 },
};

/** A full stream: a role chunk, the given chunks, a stop chunk, usage, `[DONE]`. */
export function chatStream(
  chunks: ChatCompletionChunk[],
  finishReason: NonNullable<FinishReason> = "stop",
  options: { usage?: CompletionUsage | null; done?: boolean; delayMs?: number } = {},
): FakeReply {
  const blocks = [
    sseData(chunk({ role: "assistant", content: "" })),
    ...chunks.map((value) => sseData(value)),
    sseData(chunk({}, finishReason)),
  ];
  if (options.usage !== null) blocks.push(sseData(usageChunk(options.usage ?? USAGE)));
  if (options.done !== false) blocks.push(DONE);
  return { kind: "sse", chunks: blocks, ...(options.delayMs ? { delayMs: options.delayMs } : {}) };
}

/** Text in pieces. */
export const textStream = (...pieces: string[]): FakeReply =>
  chatStream(pieces.map((content) => chunk({ content })));

/** A whole `chat.completion` (a server that ignores `stream: true`). */
export function completion(
  message: ChatCompletion.Choice["message"],
  finishReason: ChatCompletion.Choice["finish_reason"] = "stop",
): ChatCompletion {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "fake-model",
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: USAGE,
  };
}
