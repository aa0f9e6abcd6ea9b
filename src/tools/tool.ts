/**
 * `tool()`: a function tool the client can run itself. It pairs the definition the model sees (built by
 * `functionTool`, so a bad name fails at once, rule P4) with the code that answers a call to it.
 */

import { type FunctionToolInit, functionTool } from "../builders/tools.js";
import { type JSONSchemaObject, jsonSchemaOf, parseWithSchema } from "../structured/format.js";
import { isStandardSchema, type SchemaOutput, type StandardSchema } from "../structured/standard-schema.js";
import type { RunnableTool, ToolContext } from "./runnable.js";

export { isRunnableTool, type RunnableTool, type ToolContext } from "./runnable.js";

/** What `tool()` takes for a tool whose arguments `parse` reads (JSON by default). */
export interface ToolInit<Args, Result> extends FunctionToolInit {
  /**
   * Turns the call's `arguments` JSON into `Args`: the place to validate (with a schema library, say).
   * Whatever it throws is sent back to the model as the call's output, so the model can try again.
   * Default: `JSON.parse` (an empty string counts as `{}`, as some servers send it for no arguments).
   */
  parse?: (argumentsJson: string) => Args;
  /**
   * Answers the call. A string is sent as is; anything else as its JSON text. A throw becomes an error
   * output for the model, unless the run has `throwOnToolError`.
   */
  execute: (args: Args, context: ToolContext) => Result | Promise<Result>;
}

/**
 * A tool whose `parameters` is a zod (3 or 4) schema or any Standard Schema: the JSON Schema sent is
 * derived from it (or given as `jsonSchema`), `execute`'s argument is typed from it, and every call's
 * arguments are validated before `execute` runs. A validation failure is sent back to the model as the
 * call's output (status `invalid_arguments`), so the model can try again.
 */
export interface SchemaToolInit<S extends StandardSchema, Result>
  extends Omit<FunctionToolInit, "parameters"> {
  parameters: S;
  /** The JSON Schema to send, for a schema that cannot describe itself (see `jsonSchemaFormat`). */
  jsonSchema?: JSONSchemaObject;
  /** Default `true` for a schema tool: the server must follow the schema exactly. */
  strict?: boolean;
  execute: (args: SchemaOutput<S>, context: ToolContext) => Result | Promise<Result>;
}

/**
 * Builds a runnable function tool. With a schema as `parameters`, `Args` is the schema's output and the
 * arguments are validated; otherwise `Args` is inferred from `parse`, or from `execute`'s parameter.
 */
export function tool<S extends StandardSchema, Result = unknown>(
  init: SchemaToolInit<S, Result>,
): RunnableTool<SchemaOutput<S>, Result>;
export function tool<Args = Record<string, unknown>, Result = unknown>(
  init: ToolInit<Args, Result>,
): RunnableTool<Args, Result>;
export function tool<Args, Result>(
  init: ToolInit<Args, Result> | SchemaToolInit<StandardSchema, Result>,
): RunnableTool<Args, Result> {
  if (typeof init.execute !== "function") {
    throw new TypeError(`tool(${JSON.stringify(init.name)}) needs an \`execute\` function.`);
  }
  const schema = isStandardSchema(init.parameters) ? init.parameters : null;
  const parameters = schema
    ? jsonSchemaOf(schema, (init as SchemaToolInit<StandardSchema, Result>).jsonSchema)
    : (init.parameters as ToolInit<Args, Result>["parameters"]);
  const strict = init.strict ?? (schema ? true : undefined);
  const definition = functionTool({
    name: init.name,
    ...(init.description !== undefined ? { description: init.description } : {}),
    ...(parameters !== undefined ? { parameters } : {}),
    ...(strict !== undefined ? { strict } : {}),
  });
  const custom = (init as ToolInit<Args, Result>).parse;
  const parse: (json: string) => Args | Promise<Args> = schema
    ? (json) => parseWithSchema(schema, json, definition.name) as Promise<Args>
    : (custom ?? ((json: string) => parseArguments(json) as Args));
  return {
    definition,
    name: definition.name,
    parse,
    execute: init.execute as (args: Args, context: ToolContext) => Result | Promise<Result>,
  };
}

/** The default `parse`: JSON, with a message the model can act on when it is not. */
function parseArguments(json: string): unknown {
  if (json.trim() === "") return {};
  try {
    return JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SyntaxError(`the arguments are not valid JSON (${reason})`);
  }
}
