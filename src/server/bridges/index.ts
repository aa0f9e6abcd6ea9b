/**
 * Bridges: `Model`s that put a provider behind the kit (web standards only, so they run on every
 * runtime the kit runs on). The helpers they share (upstream calls, errors, SSE reading, refusals)
 * stay internal.
 */

export { type AnthropicModelOptions, anthropicModel } from "./anthropic.js";
export { type ChatCompletionsModelOptions, chatCompletionsModel } from "./chat-completions.js";
export { type GeminiModelOptions, geminiModel } from "./gemini.js";
export { type OpenResponsesModelOptions, openResponsesModel } from "./open-responses.js";
export { routeModels } from "./route.js";
export type { UpstreamOptions } from "./upstream.js";
