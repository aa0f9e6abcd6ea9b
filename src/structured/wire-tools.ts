/**
 * The tools of a `responses.parse()` body as they go on the wire: a runnable tool (`tool()`) is sent as
 * its definition, since its parser and `execute` are functions JSON would drop.
 */

import { isRecord } from "../internal/guards.js";
import type { RunnableTool } from "../tools/tool.js";

/** The body as sent: runnable tools become their definitions (parsers are functions, dropped by JSON). */
export function toWireTools(tools: unknown): unknown {
  if (!Array.isArray(tools)) return tools;
  return tools.map((tool) => (isRunnable(tool) ? tool.definition : tool));
}

export function isRunnable(value: unknown): value is RunnableTool {
  return (
    isRecord(value) &&
    typeof value.execute === "function" &&
    typeof value.parse === "function" &&
    isRecord(value.definition)
  );
}
