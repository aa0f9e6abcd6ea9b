/**
 * The kit's request → the request for a stateless Open Responses upstream: the whole resolved context
 * as `input` (so `previous_response_id`, `store` and `item_reference` are the kit's work, not the
 * upstream's), `store: false`, always streaming. Items are sent in their input form without the ids and
 * statuses the kit gave them: an upstream that keeps nothing cannot look an id up, and some refuse one.
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import type { CreateResponseBody } from "../../../spec/index.js";
import type { ModelRequest } from "../../model.js";
import { itemParam, refuseCommon, upstreamModelName } from "../context.js";
import { refuse } from "../refuse.js";

export interface ResponsesRequestSettings {
  upstream: string;
  model: string | undefined;
}

/** Fields that are the kit's business (state, storage, transport) and never go upstream. */
const KIT_FIELDS = new Set([
  "previous_response_id",
  "store",
  "stream",
  "stream_options",
  "background",
  "metadata",
]);

export function toResponsesRequest(request: ModelRequest, settings: ResponsesRequestSettings): JsonRecord {
  refuseCommon(request, settings.upstream);
  const model = upstreamModelName(request, settings.model, undefined);
  if (model === undefined) {
    throw refuse("model", settings.upstream, "a request without `model` (no default is configured)");
  }
  const out: JsonRecord = {};
  for (const [key, value] of Object.entries(request.body as CreateResponseBody)) {
    if (!KIT_FIELDS.has(key) && value !== undefined) out[key] = value;
  }
  out.model = model;
  out.input = request.input.map((item, index) =>
    inputItem(item as unknown as JsonRecord, itemParam(request, index), settings.upstream),
  );
  out.stream = true;
  out.store = false;
  const tools = request.tools ?? [];
  if (tools.length === 0) {
    delete out.tools;
    delete out.tool_choice;
    delete out.parallel_tool_calls;
  } else {
    // The tools the kit's policy left (P2): `allowed_tools` is resolved here, so the upstream needs
    // only the list and the mode.
    out.tools = tools.map((tool) => ({
      type: "function",
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      ...(tool.parameters ? { parameters: tool.parameters } : {}),
      ...(typeof tool.strict === "boolean" ? { strict: tool.strict } : {}),
    }));
    const choice = request.body.tool_choice;
    out.tool_choice =
      isRecord(choice) && choice.type === "function" ? choice : (request.toolChoice ?? "auto");
  }
  return out;
}

function inputItem(item: JsonRecord, param: string, upstream: string): JsonRecord {
  switch (item.type) {
    case "message":
      return {
        type: "message",
        role: item.role,
        content:
          typeof item.content === "string" ? item.content : (item.content as unknown[]).map(contentPart),
        ...(typeof item.phase === "string" ? { phase: item.phase } : {}),
      };
    case "function_call":
      return { type: "function_call", call_id: item.call_id, name: item.name, arguments: item.arguments };
    case "function_call_output":
      return { type: "function_call_output", call_id: item.call_id, output: item.output };
    case "reasoning":
      return {
        type: "reasoning",
        summary: Array.isArray(item.summary) ? item.summary : [],
        ...(typeof item.encrypted_content === "string" ? { encrypted_content: item.encrypted_content } : {}),
      };
    default:
      if (typeof item.type === "string" && item.type.includes(":")) return item;
      throw refuse(param, upstream, `an input item of type ${JSON.stringify(item.type)}`);
  }
}

/** An output content part in its input form (annotations and log probabilities are output only). */
function contentPart(part: unknown): unknown {
  if (!isRecord(part)) return part;
  if (part.type === "output_text") return { type: "output_text", text: part.text };
  return part;
}
