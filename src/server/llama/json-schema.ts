/**
 * A request's JSON Schema (tool parameters, `text.format`) in the dialect of node-llama-cpp's grammar
 * builder, which constrains generation token by token. Its dialect differs from JSON Schema where it
 * matters here: a node it does not recognise allows only `null`, and `{ type: "object" }` without
 * properties allows only `{}`. So this conversion reads every schema node as JSON Schema means it:
 *
 * - no type, const, enum, combinator or reference (`{}`, `{ description }`, `allOf`...): any JSON value;
 * - an object with no `properties`: any object (`additionalProperties` defaults to true);
 * - a `type` list with `object` or `array` in it: one alternative per type;
 * - `anyOf` is read as `oneOf` (the same values, for generation), `definitions` as `$defs`.
 *
 * The grammar is never stricter than the schema, only sometimes looser (`pattern`, `allOf`, numeric
 * bounds are not enforced); node-llama-cpp writes every listed property, which any schema accepts.
 */

import type { GbnfJsonSchema } from "node-llama-cpp";
import { isRecord, type JsonRecord } from "../../internal/guards.js";

const SCALARS = new Set(["string", "number", "integer", "boolean", "null"]);

const ANY_JSON: JsonRecord = {
  oneOf: [
    { type: ["string", "number", "boolean", "null"] },
    { type: "object", additionalProperties: true },
    { type: "array" },
  ],
};

function convertMap(value: unknown): JsonRecord | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, convert(entry)]));
}

function convert(schema: unknown): JsonRecord {
  if (!isRecord(schema)) return schema === false ? { type: "null" } : ANY_JSON;
  const description = typeof schema.description === "string" ? { description: schema.description } : {};
  const defsSource = schema.$defs ?? schema.definitions;
  const defs = isRecord(defsSource) ? { $defs: convertMap(defsSource) } : {};

  if (typeof schema.$ref === "string") {
    return { $ref: schema.$ref.replace(/^#\/definitions\//, "#/$defs/"), ...description, ...defs };
  }
  if ("const" in schema) return { const: schema.const, ...description };
  if (Array.isArray(schema.enum)) return { enum: schema.enum, ...description };
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return { oneOf: alternatives.map(convert), ...description, ...defs };

  const types = Array.isArray(schema.type)
    ? schema.type
    : typeof schema.type === "string"
      ? [schema.type]
      : [];
  if (types.length > 1 && types.some((type) => !SCALARS.has(String(type)))) {
    return { oneOf: types.map((type) => convert({ ...schema, type })), ...description, ...defs };
  }
  const type =
    types.length > 1
      ? undefined
      : (types[0] ?? (isRecord(schema.properties) ? "object" : "items" in schema ? "array" : undefined));
  if (type === "object") {
    const properties = convertMap(schema.properties);
    const extra = schema.additionalProperties;
    return {
      type: "object",
      ...(properties ? { properties } : {}),
      additionalProperties: isRecord(extra)
        ? convert(extra)
        : extra === false
          ? false
          : !properties || extra === true,
      ...(typeof schema.minProperties === "number" ? { minProperties: schema.minProperties } : {}),
      ...(typeof schema.maxProperties === "number" ? { maxProperties: schema.maxProperties } : {}),
      ...description,
      ...defs,
    };
  }
  if (type === "array") {
    return {
      type: "array",
      ...(schema.items !== undefined && !Array.isArray(schema.items) ? { items: convert(schema.items) } : {}),
      ...(Array.isArray(schema.prefixItems) ? { prefixItems: schema.prefixItems.map(convert) } : {}),
      ...(typeof schema.minItems === "number" ? { minItems: schema.minItems } : {}),
      ...(typeof schema.maxItems === "number" ? { maxItems: schema.maxItems } : {}),
      ...description,
      ...defs,
    };
  }
  if (type === "string") {
    const format = schema.format === "date-time" || schema.format === "date" || schema.format === "time";
    return {
      type: "string",
      ...(format ? { format: schema.format } : {}),
      ...(!format && typeof schema.minLength === "number" ? { minLength: schema.minLength } : {}),
      ...(!format && typeof schema.maxLength === "number" ? { maxLength: schema.maxLength } : {}),
      ...description,
    };
  }
  if (types.length > 0 && types.every((entry) => SCALARS.has(String(entry)))) {
    return { type: types.length === 1 ? types[0] : types, ...description };
  }
  return { ...ANY_JSON, ...description, ...defs };
}

/** The schema for the grammar builder. */
export function toGrammarSchema(schema: unknown): GbnfJsonSchema {
  return convert(schema) as GbnfJsonSchema;
}
