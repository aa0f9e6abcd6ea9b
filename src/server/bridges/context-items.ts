/**
 * Reading the resolved context (earlier turns, then this request's input) the way both bridges need:
 * loosely, because it holds items from clients, from stored responses and from other providers, and
 * with a `param` for each item that points the caller at the field to fix when a bridge refuses it.
 */

import { isRecord, type JsonRecord } from "../../internal/guards.js";
import type { ModelRequest } from "../model.js";
import { itemParam } from "./context.js";
import type { Refuse } from "./refuse.js";

/** One context item with the request field that holds it (`itemParam`: `input[3]`, or an earlier turn's). */
export interface ContextEntry {
  item: JsonRecord;
  param: string;
}

/** The context as entries, each named by where it sits in the caller's request. */
export function contextEntries(request: ModelRequest): ContextEntry[] {
  return request.input.map((item, index) => ({
    item: isRecord(item) ? item : {},
    param: itemParam(request, index),
  }));
}

/** The text of a system or developer message: a string, or text parts only. */
export function instructionText(entry: ContextEntry, refuse: Refuse, upstream: string): string {
  const content = entry.item.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content))
    refuse(`${entry.param}.content`, "A message needs content.", "invalid_request");
  const texts: string[] = [];
  content.forEach((part, index) => {
    const text = isRecord(part) && typeof part.text === "string" ? part.text : undefined;
    if (text === undefined || (part.type !== "input_text" && part.type !== "output_text")) {
      refuse(
        `${entry.param}.content[${index}]`,
        `${upstream} takes only text in system instructions, not ${describeType(part)} content.`,
      );
    }
    texts.push(text);
  });
  return texts.join("\n");
}

/**
 * The texts of an assistant message, in order, empty ones left out: a string, or `output_text` and
 * `refusal` parts (a refusal is what the assistant said; neither provider has a refusal part, so it goes
 * back as text). `turn` names the provider's assistant turn in the refusal of any other part.
 */
export function assistantTexts(
  entry: ContextEntry,
  refuse: Refuse,
  upstream: string,
  turn: string,
): string[] {
  const content = entry.item.content;
  if (typeof content === "string") return content === "" ? [] : [content];
  if (!Array.isArray(content)) refuse(`${entry.param}.content`, "A message needs content.");
  const texts: string[] = [];
  content.forEach((part, index) => {
    const record = isRecord(part) ? part : {};
    const text =
      record.type === "output_text" ? record.text : record.type === "refusal" ? record.refusal : undefined;
    if (typeof text !== "string")
      refuse(
        `${entry.param}.content[${index}]`,
        `${upstream} has no equivalent of ${describeType(part)} content in ${turn}.`,
      );
    if (text !== "") texts.push(text);
  });
  return texts;
}

/** `"input_image"`-style wording for a message. */
export function describeType(value: unknown): string {
  return isRecord(value) && typeof value.type === "string" ? JSON.stringify(value.type) : "untyped";
}

/** A function call's `arguments` (a JSON string) as the object providers want; refused when not an object. */
export function parseArguments(
  entry: ContextEntry,
  refuse: Refuse,
  upstream: string,
): Record<string, unknown> {
  const text = entry.item.arguments;
  let value: unknown;
  try {
    value = typeof text === "string" && text.trim() !== "" ? JSON.parse(text) : {};
  } catch {
    refuse(
      `${entry.param}.arguments`,
      `${upstream} needs function call arguments as a JSON object; this is not JSON.`,
      "invalid_request",
    );
  }
  if (!isRecord(value))
    refuse(
      `${entry.param}.arguments`,
      `${upstream} needs function call arguments as a JSON object.`,
      "invalid_request",
    );
  return value;
}
