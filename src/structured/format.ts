/**
 * Turning a schema into what a request carries: a `text.format` (json_schema, strict) and function tools
 * whose arguments the client parses. Each keeps its parser as `$parseRaw`, a function, which
 * `JSON.stringify` leaves out of the request body.
 *
 * Where the JSON Schema comes from, in order: the `jsonSchema` option; the schema's own Standard JSON
 * Schema converter (`~standard.jsonSchema`: zod 4, and other libraries that implement it); for zod 3, a
 * built-in reader of its definition (`zod3-json-schema.ts`). Validation always goes through
 * `~standard.validate`, so any Standard Schema works when its JSON Schema is given.
 */

import { checkFunctionName } from "../builders/messages.js";
import type { FunctionToolParam } from "../spec/index.js";
import { ResponseParseError } from "./errors.js";
import {
  isStandardSchema,
  type SchemaOutput,
  type StandardSchema,
  validateWithSchema,
} from "./standard-schema.js";
import { isZod3Schema, zod3ToJSONSchema } from "./zod3-json-schema.js";

export type JSONSchemaObject = Record<string, unknown>;

/** A `text.format` that `responses.parse()` reads back into `T` (see `jsonSchemaFormat`). */
export interface ParseableTextFormat<T> {
  type: "json_schema";
  name: string;
  schema: JSONSchemaObject;
  strict: boolean;
  description?: string;
  /** Parses and validates the model's text; a function, so never sent. */
  readonly $parseRaw: (text: string) => Promise<T>;
}

/** A function tool definition whose calls get `parsed_arguments` from `responses.parse()`. */
export interface ParseableFunctionTool<Name extends string = string, Args = unknown>
  extends FunctionToolParam {
  name: Name;
  parameters: JSONSchemaObject;
  /** Parses and validates a call's `arguments`; a function, so never sent. */
  readonly $parseRaw: (argumentsJson: string) => Promise<Args>;
}

export interface SchemaFormatOptions {
  description?: string;
  /** Default `true`: the server must follow the schema exactly (OpenAI's structured outputs). */
  strict?: boolean;
  /** The JSON Schema to send, for a schema that cannot describe itself (see the file comment). */
  jsonSchema?: JSONSchemaObject;
}

/**
 * A json_schema `text.format` built from a zod (3 or 4) schema or any Standard Schema:
 * `text: { format: jsonSchemaFormat(Answer, "answer") }`. `responses.parse()` then gives
 * `output_parsed` typed as the schema's output.
 */
export function jsonSchemaFormat<S extends StandardSchema>(
  schema: S,
  name: string,
  options: SchemaFormatOptions = {},
): ParseableTextFormat<SchemaOutput<S>> {
  requireSchema(schema, "jsonSchemaFormat");
  if (typeof name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw new TypeError(
      `jsonSchemaFormat: the format name must match ^[a-zA-Z0-9_-]+$ with 1-64 characters (got ${JSON.stringify(name)}).`,
    );
  }
  const format: ParseableTextFormat<SchemaOutput<S>> = {
    type: "json_schema",
    name,
    schema: jsonSchemaOf(schema, options.jsonSchema),
    strict: options.strict ?? true,
    ...(options.description !== undefined ? { description: options.description } : {}),
    $parseRaw: (text) => parseWithSchema(schema, text, null) as Promise<SchemaOutput<S>>,
  };
  return format;
}

/** The `openai` SDK's name for `jsonSchemaFormat` (it takes any Standard Schema here too). */
export const zodTextFormat = jsonSchemaFormat;

export interface SchemaFunctionInit<Name extends string, S> {
  name: Name;
  parameters: S;
  description?: string;
  /** Default `true`. */
  strict?: boolean;
  /** The JSON Schema to send, for a schema that cannot describe itself. */
  jsonSchema?: JSONSchemaObject;
}

/**
 * A function tool definition built from a schema, as the `openai` SDK's `zodFunction`: its calls get
 * `parsed_arguments` from `responses.parse()`. To run the tool as well, use `tool()` with the schema.
 */
export function zodFunction<const Name extends string, S extends StandardSchema>(
  init: SchemaFunctionInit<Name, S>,
): ParseableFunctionTool<Name, SchemaOutput<S>> {
  requireSchema(init.parameters, `zodFunction(${JSON.stringify(init.name)})`);
  checkFunctionName("FunctionToolParam", init.name);
  const schema = init.parameters;
  return {
    type: "function",
    name: init.name,
    ...(init.description !== undefined ? { description: init.description } : {}),
    parameters: jsonSchemaOf(schema, init.jsonSchema),
    strict: init.strict ?? true,
    $parseRaw: (json) => parseWithSchema(schema, json, init.name) as Promise<SchemaOutput<S>>,
  };
}

/** The JSON Schema of `schema` (see the file comment for where it comes from). */
export function jsonSchemaOf(schema: unknown, explicit?: JSONSchemaObject): JSONSchemaObject {
  if (explicit !== undefined) {
    if (typeof explicit !== "object" || explicit === null || Array.isArray(explicit)) {
      throw new TypeError("`jsonSchema` must be a JSON Schema object.");
    }
    return explicit;
  }
  const converter = (schema as StandardSchema)["~standard"]?.jsonSchema;
  if (converter && typeof converter.output === "function") {
    let generated: JSONSchemaObject;
    try {
      generated = converter.output({ target: "draft-2020-12" });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(
        `The schema could not be converted to JSON Schema (${reason}); pass \`jsonSchema\`.`,
      );
    }
    // `$schema` names the draft; servers that validate the schema strictly reject the unknown keyword.
    const { $schema: _draft, ...rest } = generated;
    return rest;
  }
  if (isZod3Schema(schema)) return zod3ToJSONSchema(schema);
  throw new TypeError(
    "This schema cannot describe itself as JSON Schema (it implements no Standard JSON Schema " +
      "converter, and is not zod 3): pass `jsonSchema` with it.",
  );
}

/** JSON text → a value the schema accepts, or a `ResponseParseError` carrying the raw text. */
export async function parseWithSchema<T>(
  schema: StandardSchema<unknown, T>,
  text: string,
  toolName: string | null,
): Promise<T> {
  const what = toolName === null ? "The response's text" : `The arguments of ${toolName}`;
  let value: unknown;
  try {
    value = text.trim() === "" && toolName !== null ? {} : JSON.parse(text);
  } catch (cause) {
    throw new ResponseParseError(
      `${what} ${toolName === null ? "is" : "are"} not valid JSON (${describeText(text)}).`,
      {
        kind: "invalid_json",
        rawText: text,
        toolName,
        cause: cause instanceof Error ? new SyntaxError(cause.message.slice(0, 200)) : undefined,
      },
    );
  }
  const result = await validateWithSchema(schema, value);
  if (!result.ok) {
    throw new ResponseParseError(
      `${what} ${toolName === null ? "does" : "do"} not match the schema: ${result.message}.`,
      {
        kind: "schema_mismatch",
        rawText: text,
        issues: result.issues,
        toolName,
      },
    );
  }
  return result.value;
}

function requireSchema(schema: unknown, where: string): void {
  if (!isStandardSchema(schema)) {
    throw new TypeError(
      `${where} needs a zod schema or a Standard Schema (an object with \`~standard.validate\`).`,
    );
  }
}

function describeText(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return "empty text";
  return `starts with ${JSON.stringify(flat.slice(0, 40))}`;
}
