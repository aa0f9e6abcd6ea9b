/** Request pieces and output readers shared by the scenarios. */

import { isRecord, type Loose } from "../context.js";
import { textOf } from "../stream-rules.js";

export const WEATHER_TOOL = {
  type: "function",
  name: "get_weather",
  description: "Get the current weather for a city.",
  parameters: {
    type: "object",
    properties: { city: { type: "string", description: "The city name" } },
    required: ["city"],
    additionalProperties: false,
  },
  strict: true,
};

export const TIME_TOOL = {
  type: "function",
  name: "get_time",
  description: "Get the current local time in a city.",
  parameters: {
    type: "object",
    properties: { city: { type: "string", description: "The city name" } },
    required: ["city"],
    additionalProperties: false,
  },
  strict: true,
};

/** A 1×1 PNG as a data URL: image input without the server fetching anything. */
export const TINY_PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

export function user(text: string): Loose {
  return { type: "message", role: "user", content: text };
}

export function outputOf(resource: Loose | undefined): Loose[] {
  const output = resource?.output;
  return Array.isArray(output) ? output.filter(isRecord) : [];
}

export function functionCalls(resource: Loose | undefined): Loose[] {
  return outputOf(resource).filter((item) => item.type === "function_call");
}

/** The assistant's text: every message item's text joined. */
export function outputText(resource: Loose | undefined): string {
  return outputOf(resource)
    .filter((item) => item.type === "message")
    .map((item) => textOf(item))
    .join("");
}

/** The items of a finished response that a stateless follow-up sends back as input. */
export function asInput(items: Loose[]): Loose[] {
  return items.filter(
    (item) =>
      item.type === "message" ||
      item.type === "function_call" ||
      item.type === "reasoning" ||
      item.type === "compaction",
  );
}
