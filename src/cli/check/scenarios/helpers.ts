/** Request pieces and output readers shared by the scenarios. */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import { textOf } from "../stream-rules.js";

/** A strict function tool that takes a city. */
function cityTool(name: string, description: string) {
  return {
    type: "function",
    name,
    description,
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "The city name" } },
      required: ["city"],
      additionalProperties: false,
    },
    strict: true,
  };
}

export const WEATHER_TOOL = cityTool("get_weather", "Get the current weather for a city.");

export const TIME_TOOL = cityTool("get_time", "Get the current local time in a city.");

/** A 1×1 PNG as a data URL: image input without the server fetching anything. */
export const TINY_PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

export function user(text: string): JsonRecord {
  return { type: "message", role: "user", content: text };
}

export function outputOf(resource: JsonRecord | undefined): JsonRecord[] {
  const output = resource?.output;
  return Array.isArray(output) ? output.filter(isRecord) : [];
}

export function functionCalls(resource: JsonRecord | undefined): JsonRecord[] {
  return outputOf(resource).filter((item) => item.type === "function_call");
}

/** The assistant's text: every message item's text joined. */
export function outputText(resource: JsonRecord | undefined): string {
  return outputOf(resource)
    .filter((item) => item.type === "message")
    .map((item) => textOf(item))
    .join("");
}

/** The items of a finished response that a stateless follow-up sends back as input. */
export function asInput(items: JsonRecord[]): JsonRecord[] {
  return items.filter(
    (item) =>
      item.type === "message" ||
      item.type === "function_call" ||
      item.type === "reasoning" ||
      item.type === "compaction",
  );
}
