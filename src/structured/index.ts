/** Structured outputs: schemas (zod 3/4 or any Standard Schema) in, typed values out. */

export { ResponseParseError, type ResponseParseErrorKind } from "./errors.js";
export {
  type JSONSchemaObject,
  jsonSchemaFormat,
  jsonSchemaOf,
  type ParseableFunctionTool,
  type ParseableTextFormat,
  type SchemaFormatOptions,
  type SchemaFunctionInit,
  zodFunction,
  zodTextFormat,
} from "./format.js";
export type {
  ParsedFormatOf,
  ParsedFunctionCall,
  ParsedFunctionCallOf,
  ParsedOutputItem,
  ParsedOutputMessage,
  ParsedOutputText,
  ParsedResponse,
  ParsedResponseOf,
  ParseTool,
} from "./parse.js";
export type { SchemaIssue, SchemaOutput, SchemaResult, StandardSchema } from "./standard-schema.js";
