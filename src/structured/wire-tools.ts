/**
 * The tools of a `responses.parse()` body as they go on the wire: a runnable tool (`tool()`) is sent as
 * its definition, since its parser and `execute` are functions JSON would drop.
 */

import type { RunnableTool } from "../tools/tool.js";

/** The body as sent: runnable tools become their definitions (parsers are functions, dropped by JSON). */
export function toWireTools(tools: unknown): unknown {
  if (!Array.isArray(tools)) return tools;
  return tools.map((tool) => (isRunnableTool(tool) ? tool.definition : tool));
}

/**
 * Whether a `tools` entry is a runnable tool (rather than a plain tool definition sent as is). Here, where
 * every bundle that sends a request has it, so that the tool loop and `parse()` use this one copy.
 */
export function isRunnableTool(value: unknown): value is RunnableTool {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<RunnableTool>;
  return (
    typeof candidate.execute === "function" &&
    typeof candidate.parse === "function" &&
    typeof candidate.definition === "object" &&
    candidate.definition !== null
  );
}
