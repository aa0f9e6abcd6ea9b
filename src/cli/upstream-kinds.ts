/**
 * The bridge behind each `--upstream` kind. One table, so `serve`, `chat` and the help text agree on
 * the kinds, which need a base URL, and which environment variable holds a kind's own key.
 */

import { chatCompletionsModel } from "../server/bridges/chat-completions.js";
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
};
