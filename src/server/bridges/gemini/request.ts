/**
 * A create request as the body of Gemini's `models/{model}:streamGenerateContent?alt=sse`. Each field
 * maps to its Gemini equivalent (`generationConfig`, `toolConfig`, ...) or is refused by name; the table
 * in docs/server-kit.md ("Bridges") lists them. Pure: no I/O.
 */

import { isRecord } from "../../../internal/guards.js";
import { toFunctionTools } from "../../kit/tool-policy.js";
import type { ModelRequest } from "../../model.js";
import { callNames, upstreamModelName } from "../context.js";
import { contextEntries } from "../context-items.js";
import type { Refuse } from "../refuse.js";
import { geminiContents } from "./contents.js";
import type { GeminiModelOptions } from "./options.js";
import {
  type GeminiFunctionCallingMode,
  type GeminiGenerationConfig,
  type GeminiRequest,
  type GeminiThinkingConfig,
  UPSTREAM,
} from "./wire.js";

/** Thinking budgets (tokens) per `reasoning.effort`; `none` turns thinking off (budget 0). */
export const DEFAULT_GEMINI_THINKING_BUDGETS = {
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
} as const;

export interface GeminiCall {
  /** The model name for the URL, without a `models/` prefix. */
  model: string;
  body: GeminiRequest;
}

export function geminiRequest(
  request: ModelRequest,
  options: GeminiModelOptions,
  refuse: Refuse,
): GeminiCall {
  const body = request.body;
  refuseUnsupported(body, refuse);
  const name = upstreamModelName(request, options.model, undefined);
  if (!name)
    refuse("model", `${UPSTREAM} needs a model: name one in the request or configure the bridge with one.`);
  const model = name.replace(/^models\//, "");
  const context = geminiContents(
    body.instructions,
    contextEntries(request),
    callNames(request.input),
    refuse,
  );
  const out: GeminiRequest = { contents: context.contents };
  if (context.systemTexts.length > 0)
    out.systemInstruction = { parts: context.systemTexts.map((text) => ({ text })) };

  // Under `none` the kit offers no tool, but the declarations still describe the calls earlier turns made.
  const tools = request.toolChoice === "none" ? toFunctionTools(body) : (request.tools ?? []);
  if (tools.length > 0) {
    out.tools = [
      {
        functionDeclarations: tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          ...(isRecord(tool.parameters) ? { parametersJsonSchema: tool.parameters } : {}),
        })),
      },
    ];
    out.toolConfig = { functionCallingConfig: { mode: callingMode(request.toolChoice, tools) } };
  }
  const config = generationConfig(body, options);
  if (Object.keys(config).length > 0) out.generationConfig = config;
  return { model, body: out };
}

/** `strict` tools under `auto` ask for schema-checked calls: Gemini's `VALIDATED` mode. */
function callingMode(
  mode: ModelRequest["toolChoice"],
  tools: Array<{ strict?: boolean | null }>,
): GeminiFunctionCallingMode {
  if (mode === "none") return "NONE";
  if (mode === "required") return "ANY";
  return tools.some((tool) => tool.strict === true) ? "VALIDATED" : "AUTO";
}

function generationConfig(body: ModelRequest["body"], options: GeminiModelOptions): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (typeof body.max_output_tokens === "number") config.maxOutputTokens = body.max_output_tokens;
  if (typeof body.temperature === "number") config.temperature = body.temperature;
  if (typeof body.top_p === "number") config.topP = body.top_p;
  if (typeof body.presence_penalty === "number") config.presencePenalty = body.presence_penalty;
  if (typeof body.frequency_penalty === "number") config.frequencyPenalty = body.frequency_penalty;
  const format = body.text?.format as { type?: unknown; schema?: unknown } | null | undefined;
  if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    config.responseJsonSchema = format.schema;
  } else if (format?.type === "json_object") config.responseMimeType = "application/json";
  const thinking = thinkingConfig(body.reasoning, options);
  if (thinking !== undefined) config.thinkingConfig = thinking;
  return config;
}

const LEVELS = { low: "LOW", medium: "MEDIUM", high: "HIGH", xhigh: "HIGH" } as const;

function thinkingConfig(
  reasoning: ModelRequest["body"]["reasoning"],
  options: GeminiModelOptions,
): GeminiThinkingConfig | undefined {
  if (reasoning === null || reasoning === undefined) return undefined;
  const effort = reasoning.effort;
  if (effort === "none")
    return options.thinking === "level" ? { thinkingLevel: "MINIMAL" } : { thinkingBudget: 0 };
  // Asking for reasoning (an effort or a summary) asks to see it: Gemini's thought summaries.
  const config: GeminiThinkingConfig = { includeThoughts: true };
  if (effort === "low" || effort === "medium" || effort === "high" || effort === "xhigh") {
    if (options.thinking === "level") config.thinkingLevel = LEVELS[effort];
    else config.thinkingBudget = options.thinkingBudgets?.[effort] ?? DEFAULT_GEMINI_THINKING_BUDGETS[effort];
  }
  return config;
}

/** Request fields Gemini has no way to honour: refused by name rather than dropped. */
function refuseUnsupported(body: ModelRequest["body"], refuse: Refuse): void {
  const cannot = (param: string, what: string): never => refuse(param, `${UPSTREAM} has no ${what}.`);
  if (typeof body.top_logprobs === "number" && body.top_logprobs > 0)
    cannot("top_logprobs", "log probabilities in this bridge");
  if (body.include?.includes("message.output_text.logprobs"))
    cannot("include", "log probabilities in this bridge");
  if (body.truncation === "auto") cannot("truncation", 'automatic truncation ("disabled" is how it behaves)');
  if (body.service_tier === "flex" || body.service_tier === "priority")
    cannot("service_tier", `${JSON.stringify(body.service_tier)} service tier`);
  if (body.prompt_cache_key) cannot("prompt_cache_key", "prompt cache key (it caches implicitly, by prefix)");
  if (body.safety_identifier) cannot("safety_identifier", "end-user identifier");
  if (body.text?.verbosity !== undefined && body.text.verbosity !== null)
    cannot("text.verbosity", "verbosity setting");
}
