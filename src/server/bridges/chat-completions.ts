/**
 * `chatCompletionsModel`: any OpenAI Chat Completions server (OpenAI, Azure, vLLM, Ollama, llama.cpp,
 * LM Studio, Groq, Together, DeepSeek, Mistral, OpenRouter, `transformers serve`) as a `Model`. Each
 * turn is one streaming `POST {baseURL}/chat/completions` whose chunks become parts as they arrive; the
 * kit supplies state, WebSocket mode, compaction and the event lifecycle around it.
 */

import type { Model, ModelPart, ModelRequest } from "../model.js";
import { toChatRequest } from "./chat/request.js";
import { ChatStreamMapper } from "./chat/stream.js";
import { streamUpstream } from "./stream.js";
import { bearerAuth, joinURL, type UpstreamOptions, type UpstreamTarget } from "./upstream.js";
import { upstreamStreamError } from "./upstream-errors.js";

export interface ChatCompletionsModelOptions extends UpstreamOptions {
  /** The server's base URL, the part before `/chat/completions` (`http://127.0.0.1:11434/v1` for Ollama). */
  baseURL: string;
  /**
   * The upstream model for every request, whatever the request names (the request's `model` is still
   * what responses report). Without it, the request's `model` is sent as it is.
   */
  model?: string;
  /**
   * Where `max_output_tokens` goes: `max_tokens` (default; what most compatible servers read) or
   * `max_completion_tokens` (what OpenAI's reasoning models require).
   */
  maxTokensParam?: "max_tokens" | "max_completion_tokens";
  /** Read a leading `<think>…</think>` block of the content as reasoning. Default true. */
  thinkTags?: boolean;
  /** Ask for usage with `stream_options.include_usage`. Default true; turn off for a server that refuses it. */
  includeUsage?: boolean;
  /** The upstream's name in error messages. Default "the Chat Completions upstream". */
  name?: string;
}

/**
 * A `Model` that answers through any Chat Completions server, streaming its chunks as parts as they
 * arrive; fields the server cannot take are refused by name (400), its errors become spec errors.
 *
 * @example
 * import { chatCompletionsModel, createResponsesHandler } from "openresponses/server";
 * const handler = createResponsesHandler({
 *   model: chatCompletionsModel({ baseURL: "http://127.0.0.1:11434/v1", model: "qwen3:4b" }),
 * });
 */
export function chatCompletionsModel(options: ChatCompletionsModelOptions): Model {
  if (typeof options?.baseURL !== "string" || options.baseURL === "") {
    throw new TypeError("chatCompletionsModel needs a baseURL (the part before /chat/completions).");
  }
  const upstream = options.name ?? "the Chat Completions upstream";
  const target: UpstreamTarget = { name: upstream, authHeaders: bearerAuth };
  const url = joinURL(options.baseURL, "chat/completions");
  const settings = {
    upstream,
    model: options.model,
    maxTokensParam: options.maxTokensParam ?? "max_tokens",
    includeUsage: options.includeUsage !== false,
  };
  const model = async function* chatCompletions(request: ModelRequest): AsyncGenerator<ModelPart> {
    const body = toChatRequest(request, settings);
    const mapper = new ChatStreamMapper({ upstream, thinkTags: options.thinkTags !== false });
    let done = false;
    const events = streamUpstream(url, body, options, target, request, { onDone: () => (done = true) });
    for await (const event of events) {
      if (event.body === true) {
        yield* mapper.completion(event.data);
        return;
      }
      yield* mapper.chunk(event.data);
    }
    // Without `[DONE]` and without a finish reason, the stream was cut, not finished.
    if (!done && !mapper.finished)
      throw upstreamStreamError(upstream, "ended before the answer was finished.");
    yield* mapper.end();
  };
  return Object.assign(model, options.model === undefined ? {} : { defaultModel: options.model });
}
