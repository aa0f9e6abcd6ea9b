/**
 * Deciding whether to call a function tool, which one, and with what arguments. `tool_choice` decides
 * whether a call may or must happen (P2); with `auto`, the built-in model calls a tool only when the
 * user's words match the tool's name or description, which is what a real model would do.
 */

import { isRecord } from "../../internal/guards.js";
import { findPlaces, valueForSchema } from "./schema-value.js";
import { schemaChars, valueLimits } from "./value-budget.js";

export interface FunctionToolInfo {
  name: string;
  description: string;
  parameters: unknown;
}

export interface PlannedCall {
  tool: FunctionToolInfo;
  arguments: string;
}

/** The function tools offered by the request; other tool types are ignored. */
export function readFunctionTools(tools: unknown): FunctionToolInfo[] {
  if (!Array.isArray(tools)) return [];
  const out: FunctionToolInfo[] = [];
  for (const tool of tools) {
    if (!isRecord(tool) || tool.type !== "function" || typeof tool.name !== "string") continue;
    out.push({
      name: tool.name,
      description: typeof tool.description === "string" ? tool.description : "",
      parameters: tool.parameters,
    });
  }
  return out;
}

type Mode = "none" | "auto" | "required";

export interface ToolPolicy {
  mode: Mode;
  /** Restricts the candidates (a named choice or allowed_tools); undefined means every tool. */
  allowed: Set<string> | undefined;
}

function namedTools(list: unknown): Set<string> {
  const names = new Set<string>();
  if (Array.isArray(list)) {
    for (const entry of list) if (isRecord(entry) && typeof entry.name === "string") names.add(entry.name);
  }
  return names;
}

/** Reads `tool_choice` into a mode and an allowed set. */
export function readToolPolicy(toolChoice: unknown): ToolPolicy {
  if (toolChoice === "none" || toolChoice === "required" || toolChoice === "auto") {
    return { mode: toolChoice, allowed: undefined };
  }
  if (isRecord(toolChoice)) {
    if (toolChoice.type === "allowed_tools") {
      const mode = toolChoice.mode === "required" || toolChoice.mode === "none" ? toolChoice.mode : "auto";
      return { mode, allowed: namedTools(toolChoice.tools) };
    }
    if (typeof toolChoice.name === "string") return { mode: "required", allowed: new Set([toolChoice.name]) };
  }
  return { mode: "auto", allowed: undefined };
}

const STOP_WORDS = new Set(
  "the a an and or of to in on at for from by with get set make do does is are be me my you your it this that what whats how please can could would tell give show find current some any".split(
    " ",
  ),
);

function stem(word: string): string {
  return word.replace(/(ing|ies|es|s|ed)$/, "");
}

function keywords(text: string): Set<string> {
  return new Set(
    text
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length >= 3 && !STOP_WORDS.has(word))
      .map(stem),
  );
}

/** How many of the tool's keywords the user used; name words count double. */
function relevance(tool: FunctionToolInfo, userWords: Set<string>): number {
  let score = 0;
  for (const word of keywords(tool.name)) if (userWords.has(word)) score += 2;
  for (const word of keywords(tool.description)) if (userWords.has(word)) score += 1;
  return score;
}

/** Chooses the tool to call for `text`, or undefined when the policy and the words say not to call one. */
export function chooseTool(
  text: string,
  tools: FunctionToolInfo[],
  policy: ToolPolicy,
): FunctionToolInfo | undefined {
  if (policy.mode === "none") return undefined;
  const candidates = policy.allowed ? tools.filter((tool) => policy.allowed?.has(tool.name)) : tools;
  if (candidates.length === 0) return undefined;
  const userWords = keywords(text);
  let best: FunctionToolInfo | undefined;
  let bestScore = 0;
  for (const tool of candidates) {
    const score = relevance(tool, userWords);
    if (score > bestScore) {
      best = tool;
      bestScore = score;
    }
  }
  if (best) return best;
  return policy.mode === "required" ? candidates[0] : undefined;
}

/**
 * The calls to make: the tool and JSON arguments built from its schema and the user's words. When the
 * words name several places ("weather in Paris and Oslo") and the arguments hold the first of them, one
 * call per place is planned, as parallel tool calls (unless `parallel` is false).
 */
export function planCalls(
  text: string,
  tools: FunctionToolInfo[],
  policy: ToolPolicy,
  parallel = true,
  maxOutputTokens?: number,
): PlannedCall[] {
  const tool = chooseTool(text, tools, policy);
  if (!tool) return [];
  const parameters = tool.parameters ?? { type: "object", properties: {} };
  const limits = valueLimits(schemaChars(parameters), text.length, maxOutputTokens);
  const args = valueForSchema(parameters, { text }, "", limits);
  const first: PlannedCall = { tool, arguments: JSON.stringify(args ?? {}) };
  const places = findPlaces(text);
  if (!parallel || places.length < 2 || !isRecord(args)) return [first];
  const key = Object.keys(args).find((name) => args[name] === places[0]);
  if (key === undefined) return [first];
  return places.slice(0, 5).map((place) => ({ tool, arguments: JSON.stringify({ ...args, [key]: place }) }));
}
