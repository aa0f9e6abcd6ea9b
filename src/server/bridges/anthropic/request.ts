/**
 * A create request as the body of Anthropic's `POST /v1/messages` (streaming). Each field of the
 * request either maps to its Messages equivalent or is refused by name; the table in docs/server-kit.md
 * ("Bridges") lists them. Pure: no I/O, so every mapping is unit-tested.
 */

import { isRecord } from "../../../internal/guards.js";
import { toFunctionTools } from "../../kit/tool-policy.js";
import type { ModelRequest } from "../../model.js";
import { upstreamModelName } from "../context.js";
import { contextEntries } from "../context-items.js";
import type { Refuse } from "../refuse.js";
import { anthropicContext } from "./messages.js";
import type { AnthropicModelOptions } from "./options.js";
import { type AnthropicRequest, type AnthropicTool, type AnthropicToolChoice, UPSTREAM } from "./wire.js";

/** Thinking budgets (tokens) per `reasoning.effort`; Anthropic's minimum budget is 1024. */
export const DEFAULT_THINKING_BUDGETS = { low: 2048, medium: 8192, high: 16384, xhigh: 32768 } as const;

/** `max_tokens` when the request sets no `max_output_tokens` (Messages requires one). */
export const DEFAULT_MAX_TOKENS = 8192;

const MIN_THINKING_BUDGET = 1024;

type Effort = "low" | "medium" | "high" | "xhigh";

/** Builds the Messages request for a kit request, or refuses it through `refuse`. */
export function anthropicRequest(
  request: ModelRequest,
  options: AnthropicModelOptions,
  refuse: Refuse,
): AnthropicRequest {
  const body = request.body;
  refuseUnsupported(request, refuse);
  const model = upstreamModelName(request, options.model, undefined);
  if (!model)
    refuse("model", `${UPSTREAM} needs a model: name one in the request or configure the bridge with one.`);
  const context = anthropicContext(body.instructions, contextEntries(request), refuse);
  const out: AnthropicRequest = { model, max_tokens: 0, messages: context.messages, stream: true };
  if (context.system.length > 0) out.system = context.system;

  const effort = effortOf(body.reasoning?.effort);
  const budget =
    effort === undefined
      ? undefined
      : (options.thinkingBudgets?.[effort] ?? DEFAULT_THINKING_BUDGETS[effort]);
  out.max_tokens = maxTokens(
    body.max_output_tokens,
    options,
    options.thinking === "adaptive" ? undefined : budget,
    refuse,
  );
  if (effort !== undefined && options.thinking === "adaptive") {
    out.thinking = { type: "adaptive" };
    out.output_config = { effort };
  } else if (budget !== undefined) {
    out.thinking = { type: "enabled", budget_tokens: Math.min(budget, out.max_tokens - 1) };
  }

  // Under `none` the kit offers no tool, but the tools still describe the calls earlier turns made.
  const tools = functionTools(request.toolChoice === "none" ? toFunctionTools(body) : (request.tools ?? []));
  if (tools.length > 0) {
    out.tools = tools;
    out.tool_choice = toolChoice(request.toolChoice, body.parallel_tool_calls);
    if (out.tool_choice.type === "any" && out.thinking !== undefined)
      refuse(
        "tool_choice",
        `${UPSTREAM} cannot force a tool call while Claude is thinking: use tool_choice "auto", or no reasoning.`,
      );
  }
  const format = body.text?.format;
  if (isRecord(format) && format.type === "json_schema" && isRecord(format.schema))
    out.output_config = { ...out.output_config, format: { type: "json_schema", schema: format.schema } };
  if (typeof body.temperature === "number") out.temperature = body.temperature;
  if (typeof body.top_p === "number") out.top_p = body.top_p;
  const user = body.safety_identifier ?? stringField(body, "user");
  if (user) out.metadata = { user_id: user };
  if (body.service_tier === "auto") out.service_tier = "auto";
  else if (body.service_tier === "default") out.service_tier = "standard_only";
  return out;
}

function effortOf(effort: string | null | undefined): Effort | undefined {
  return effort === "low" || effort === "medium" || effort === "high" || effort === "xhigh"
    ? effort
    : undefined;
}

/** `max_tokens` must exceed the thinking budget: without a request limit it leaves room for the answer. */
function maxTokens(
  requested: number | null | undefined,
  options: AnthropicModelOptions,
  budget: number | undefined,
  refuse: Refuse,
): number {
  const base = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (typeof requested !== "number") return budget === undefined ? base : budget + base;
  if (budget !== undefined && requested <= MIN_THINKING_BUDGET)
    refuse(
      "max_output_tokens",
      `${UPSTREAM} needs max_output_tokens above ${MIN_THINKING_BUDGET} when reasoning is on (its smallest thinking budget).`,
    );
  return requested;
}

function functionTools(tools: NonNullable<ModelRequest["tools"]>): AnthropicTool[] {
  return tools.map((tool) => {
    const out: AnthropicTool = {
      name: tool.name,
      input_schema: isRecord(tool.parameters)
        ? { ...tool.parameters, type: "object" }
        : { type: "object", properties: {} },
    };
    if (tool.description) out.description = tool.description;
    if (tool.strict === true) out.strict = true;
    return out;
  });
}

function toolChoice(
  mode: ModelRequest["toolChoice"],
  parallel: boolean | null | undefined,
): AnthropicToolChoice {
  if (mode === "none") return { type: "none" };
  const type = mode === "required" ? "any" : "auto";
  return parallel === false ? { type, disable_parallel_tool_use: true } : { type };
}

function stringField(body: object, key: string): string | undefined {
  const value = (body as Record<string, unknown>)[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Request fields Messages has no way to honour: refused by name rather than dropped. */
function refuseUnsupported(request: Pick<ModelRequest, "body">, refuse: Refuse): void {
  const body = request.body;
  const cannot = (param: string, what: string): never => refuse(param, `${UPSTREAM} has no ${what}.`);
  if (typeof body.presence_penalty === "number" && body.presence_penalty !== 0)
    cannot("presence_penalty", "presence penalty");
  if (typeof body.frequency_penalty === "number" && body.frequency_penalty !== 0)
    cannot("frequency_penalty", "frequency penalty");
  if (typeof body.top_logprobs === "number" && body.top_logprobs > 0)
    cannot("top_logprobs", "log probabilities");
  if (body.include?.includes("message.output_text.logprobs")) cannot("include", "log probabilities");
  if (body.truncation === "auto") cannot("truncation", 'automatic truncation ("disabled" is how it behaves)');
  if (body.service_tier === "flex" || body.service_tier === "priority")
    cannot(
      "service_tier",
      `${JSON.stringify(body.service_tier)} service tier (it takes "auto" or "default")`,
    );
  if (body.prompt_cache_key) cannot("prompt_cache_key", "prompt cache key (it caches by prefix)");
  if (body.text?.verbosity !== undefined && body.text.verbosity !== null)
    cannot("text.verbosity", "verbosity setting");
  const format = body.text?.format as { type?: unknown } | null | undefined;
  if (format?.type === "json_object")
    cannot("text.format", 'JSON mode without a schema: send { type: "json_schema", schema } instead');
}
