/**
 * What every bridge reads from the kit's resolved context the same way: the model name to send, the
 * text of a message's content, the function name behind a `call_id`, and the request fields no
 * upstream can honour (refused by name, before any upstream call). Item references and the kit's own
 * packed compaction items are already resolved by the kit; a compaction item still in the context was
 * made by another server and is opaque to every upstream, so it is refused.
 */

import { isRecord } from "../../internal/guards.js";
import type { ItemField, ItemParam } from "../../spec/index.js";
import type { ModelRequest } from "../model.js";
import { refuse } from "./refuse.js";

export type BridgeItem = ItemParam | ItemField;

/** The model to ask the upstream for: the configured override, else the request's, else `fallback`. */
export function upstreamModelName(
  request: ModelRequest,
  configured: string | undefined,
  fallback: string | undefined,
): string | undefined {
  if (configured !== undefined && configured !== "") return configured;
  const asked = request.body.model;
  if (typeof asked === "string" && asked !== "") return asked;
  return fallback;
}

/** The text of a message's content: a string, or the text of its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part.text === "string") text += part.text;
    else if (typeof part.refusal === "string") text += part.refusal;
  }
  return text;
}

/** `call_id` → the function's name, from the calls in the context (Gemini's answers need the name). */
export function callNames(input: readonly BridgeItem[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of input) {
    if (item.type === "function_call" && typeof item.call_id === "string") names.set(item.call_id, item.name);
  }
  return names;
}

/**
 * Refuses what no bridge can honour: `background` (a response that outlives its request) and a
 * compaction item made elsewhere. Call it first; each bridge then refuses what its upstream lacks.
 */
export function refuseCommon(request: ModelRequest, upstream: string): void {
  if (request.body.background === true) throw refuse("background", upstream);
  request.input.forEach((item, index) => {
    if (item.type === "compaction") {
      throw refuse(itemParam(request, index), upstream, "a compaction item made by another server");
    }
  });
}

/**
 * Where an item of the resolved context sits in the caller's request, for `param`: the context is
 * `previous.input + previous.output + input`, so an item past the earlier turns is `input[i]` of this
 * request, and an earlier one is named by its position in the whole context.
 */
export function itemParam(request: ModelRequest, index: number): string {
  const own = Array.isArray(request.body.input) ? request.body.input.length : 1;
  const offset = request.input.length - own;
  return index >= offset ? `input[${index - offset}]` : `previous_response_id (context item ${index})`;
}
