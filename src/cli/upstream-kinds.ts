/**
 * The bridge behind each `--upstream` kind. One table, the only place a kind is described, so `serve`,
 * `chat`, their help and their usage errors agree on the kinds, which need a base URL, and which
 * environment variable holds a kind's own key.
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
  /** What it is, for the help: a few words. */
  summary: string;
  /** The provider's public endpoint, when there is one; else the base URL is required. */
  defaultBaseURL?: string;
  /** The environment variable the provider's own SDK reads its key from, used when no other is given. */
  keyEnv?: string;
  create(options: UpstreamOptions & { baseURL?: string; model?: string }): Model;
}

export const UPSTREAM_KINDS: Record<string, UpstreamKind> = {
  chat: {
    label: "Chat Completions",
    summary: "any Chat Completions server",
    create: (options) => chatCompletionsModel({ ...options, baseURL: options.baseURL ?? "" }),
  },
  responses: {
    label: "Open Responses",
    summary: "an Open Responses server that keeps no state",
    create: (options) => openResponsesModel({ ...options, baseURL: options.baseURL ?? "" }),
  },
  anthropic: {
    label: "Anthropic",
    summary: "Anthropic Messages",
    defaultBaseURL: DEFAULT_ANTHROPIC_BASE_URL,
    keyEnv: "ANTHROPIC_API_KEY",
    create: (options) => anthropicModel(options),
  },
  gemini: {
    label: "Gemini",
    summary: "the Gemini API",
    defaultBaseURL: DEFAULT_GEMINI_BASE_URL,
    keyEnv: "GEMINI_API_KEY",
    create: (options) => geminiModel(options),
  },
};

/** The kinds, in the table's order. */
export const UPSTREAM_KIND_NAMES: readonly string[] = Object.keys(UPSTREAM_KINDS);

/** The help's list of the kinds, a line each, starting `indent` spaces in. */
export function upstreamKindsHelp(indent: number): string {
  const width = Math.max(...UPSTREAM_KIND_NAMES.map((name) => name.length)) + 2;
  return Object.entries(UPSTREAM_KINDS)
    .map(([name, kind]) => {
      const url = kind.defaultBaseURL === undefined ? "" : "; url optional (the public API)";
      return `${" ".repeat(indent)}${name.padEnd(width)}${kind.summary}${url}`;
    })
    .join("\n");
}

/** The kinds that have a variable of their own for the key, as `NAME (kind)`, for the help. */
export function upstreamKeyVariablesHelp(): string {
  return Object.entries(UPSTREAM_KINDS)
    .flatMap(([name, kind]) => (kind.keyEnv === undefined ? [] : [`${kind.keyEnv} (${name})`]))
    .join(", ");
}
