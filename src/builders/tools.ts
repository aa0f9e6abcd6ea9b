/** Tool definitions for requests. */

import type { FunctionToolParam } from "../spec/types.gen.js";
import { invalid } from "./invalid.js";
import { checkFunctionName } from "./messages.js";

export interface FunctionToolInit {
  /** Rule P4: `^[a-zA-Z0-9_-]+$`, 1–64 characters. */
  name: string;
  /** What the function does; the model reads it to decide when to call it. */
  description?: string;
  /** A JSON Schema object describing the arguments. */
  parameters?: Record<string, unknown> | null;
  /** Ask the server for exact schema adherence of the arguments. */
  strict?: boolean;
}

/**
 * A function tool. Throws a `SpecValidationError` at once when the name breaks rule P4, rather than
 * letting the server reject the whole request later.
 */
export function functionTool(init: FunctionToolInit): FunctionToolParam {
  checkFunctionName("FunctionToolParam", init.name);
  const tool: FunctionToolParam = { type: "function", name: init.name };
  if (init.description !== undefined) {
    if (typeof init.description !== "string")
      throw invalid("FunctionToolParam", "description", "must be a string");
    tool.description = init.description;
  }
  if (init.parameters !== undefined) {
    const parameters = init.parameters;
    if (parameters !== null && (typeof parameters !== "object" || Array.isArray(parameters))) {
      throw invalid("FunctionToolParam", "parameters", "must be a JSON Schema object");
    }
    tool.parameters = parameters;
  }
  if (init.strict !== undefined) {
    if (typeof init.strict !== "boolean") throw invalid("FunctionToolParam", "strict", "must be a boolean");
    tool.strict = init.strict;
  }
  return tool;
}
