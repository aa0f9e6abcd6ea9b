/**
 * The tools of a `responses.parse()` body as they go on the wire: a runnable tool (`tool()`) is sent as
 * its definition, since its parser and `execute` are functions JSON would drop.
 */

import { isRunnableTool } from "../tools/runnable.js";

/** The body as sent: runnable tools become their definitions (parsers are functions, dropped by JSON). */
export function toWireTools(tools: unknown): unknown {
  if (!Array.isArray(tools)) return tools;
  return tools.map((tool) => (isRunnableTool(tool) ? tool.definition : tool));
}
