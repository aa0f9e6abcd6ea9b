/**
 * The initial `ResponseResource` for a request: every required field of the schema, echoing the request's
 * settings and filling the specification's defaults for what the request left out.
 */

import type { CreateResponseBody, ResponseResource, TextField, ToolChoiceParam } from "../../spec/index.js";
import { toFunctionTools } from "./tool-policy.js";

export interface ResourceInit {
  id: string;
  /** Seconds since the epoch. */
  createdAt: number;
  /** The model name to report when the request named none. */
  defaultModel: string;
}

export function initialResource(body: CreateResponseBody, init: ResourceInit): ResponseResource {
  return {
    id: init.id,
    object: "response",
    created_at: init.createdAt,
    completed_at: null,
    status: "in_progress",
    incomplete_details: null,
    model: body.model ?? init.defaultModel,
    previous_response_id: body.previous_response_id ?? null,
    instructions: body.instructions ?? null,
    output: [],
    error: null,
    tools: toFunctionTools(body),
    tool_choice: echoToolChoice(body.tool_choice),
    truncation: body.truncation ?? "disabled",
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    text: echoText(body.text),
    top_p: body.top_p ?? 1,
    presence_penalty: body.presence_penalty ?? 0,
    frequency_penalty: body.frequency_penalty ?? 0,
    top_logprobs: body.top_logprobs ?? 0,
    temperature: body.temperature ?? 1,
    reasoning: body.reasoning
      ? { effort: body.reasoning.effort ?? null, summary: body.reasoning.summary ?? null }
      : null,
    usage: null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    store: body.store ?? true,
    background: body.background ?? false,
    service_tier: body.service_tier ?? "default",
    metadata: body.metadata ?? {},
    safety_identifier: body.safety_identifier ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
  };
}

function echoToolChoice(choice: ToolChoiceParam | null | undefined): ResponseResource["tool_choice"] {
  if (choice === null || choice === undefined) return "auto";
  if (typeof choice === "string") return choice;
  if (choice.type === "allowed_tools") {
    return {
      type: "allowed_tools",
      tools: choice.tools.map((tool) => ({ type: "function", name: tool.name })),
      mode: choice.mode ?? "auto",
    };
  }
  return { type: "function", name: choice.name };
}

function echoText(text: CreateResponseBody["text"]): TextField {
  const format = text?.format;
  const verbosity = text?.verbosity ?? "medium";
  if (!format || format.type === "text") return { format: { type: "text" }, verbosity };
  // JSON mode is no request format of the spec, but the kit accepts it (normalise-request.ts).
  if ((format as { type: string }).type === "json_object")
    return { format: { type: "json_object" }, verbosity };
  return {
    format: {
      type: "json_schema",
      name: format.name ?? "response",
      description: format.description ?? null,
      // JsonSchemaResponseFormat allows only null here: the schema stays in the request (the model
      // reads it there) and is not echoed, so strict clients accept the resource.
      schema: null,
      strict: format.strict ?? false,
    },
    verbosity,
  };
}
