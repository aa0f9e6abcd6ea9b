/**
 * The bridge behind each `--upstream` kind. One table, so `serve`, `chat` and the help text agree on
 * the kinds, which need a base URL, and which environment variable holds a kind's own key.
 */

import { anthropicModel, DEFAULT_ANTHROPIC_BASE_URL } from "../server/bridges/anthropic/model.js";
import { chatCompletionsModel } from "../server/bridges/chat-completions.js";
import { DEFAULT_GEMINI_BASE_URL, geminiModel } from "../server/bridges/gemini/model.js";
import { openResponsesModel } from "../server/bridges/open-responses.js";
import type { UpstreamOptions } from "../server/bridges/upstream.js";
import type { Model } from "../server/model.js";

export interface UpstreamKind {
  /** What messages call it. */
  label: string;
  /** The provider's public endpoint, when there is one; else the base URL is required. */
  defaultBaseURL?: string;
  /** The environment variable the provider's own SDK reads its key from, used when no other is given. */
  keyEnv?: string;
  create(options: UpstreamOptions & { baseURL?: string; model?: string }): Model;
}

export const UPSTREAM_KINDS: Record<string, UpstreamKind> = {
  chat: {
    label: "Chat Completions",
    create: (options) => chatCompletionsModel({ ...options, baseURL: options.baseURL ?? "" }),
  },
  responses: {
    label: "Open Responses",
    create: (options) => openResponsesModel({ ...options, baseURL: options.baseURL ?? "" }),
  },
  anthropic: {
    label: "Anthropic",
    defaultBaseURL: DEFAULT_ANTHROPIC_BASE_URL,
    keyEnv: "ANTHROPIC_API_KEY",
    create: (options) => anthropicModel(options),
  },
  gemini: {
    label: "Gemini",
    defaultBaseURL: DEFAULT_GEMINI_BASE_URL,
    keyEnv: "GEMINI_API_KEY",
    create: (options) => geminiModel(options),
  },
};
