/**
 * Generates the type model and the runtime schemas from the one source of truth, the specification's
 * `openapi.json` (../shared/spec/openapi.json, relative to the repository root):
 *
 * - `src/spec/types.gen.ts`: one exported TypeScript type per component schema (same names), with JSDoc
 *   from the descriptions, plus `StreamingEvent` and the `SchemaTypes` name → type map;
 * - `src/spec/schemas.gen.ts`: the component schemas without annotations, as a compact `as const` object
 *   that the zero-dependency validator (`src/spec/validate.ts`) interprets.
 *
 * Run with `npm run generate:spec`. `test/spec/generated.test.ts` regenerates into memory and fails when
 * the committed files are stale.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SPEC_PATH = resolve(REPO_ROOT, "../shared/spec/openapi.json");
export const TYPES_PATH = resolve(REPO_ROOT, "src/spec/types.gen.ts");
export const SCHEMAS_PATH = resolve(REPO_ROOT, "src/spec/schemas.gen.ts");

/** The slice of JSON Schema the specification uses (checked at generation time; see `assertKnown`). */
interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  default?: unknown;
  "x-openresponses-disallowed"?: boolean;
  [keyword: string]: unknown;
}

interface OpenAPIDocument {
  info?: { version?: string };
  components: { schemas: Record<string, Schema> };
}

/** Keywords that only annotate; they are dropped from the runtime schemas. */
const ANNOTATION_KEYWORDS = new Set(["description", "title", "example", "examples", "default", "deprecated"]);

/** Keywords the validator understands; anything else fails generation, so nothing is silently ignored. */
const ASSERTION_KEYWORDS = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "anyOf",
  "oneOf",
  "allOf",
  "discriminator",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "maxProperties",
]);

/**
 * Server-sent unions that must also accept extensions (rules X1–X4): the output item union gets
 * `ExtensionItem`, and every content union of the response side (recognised by its `InputTextContent`
 * member; the request side uses `InputTextContentParam`) gets `ExtensionContent`.
 */
const WIRE_ITEM_UNIONS = new Set(["ItemField"]);
const WIRE_CONTENT_MARKER = "#/components/schemas/InputTextContent";

const refName = (ref: string): string => ref.slice(ref.lastIndexOf("/") + 1);

function isEmptySchema(schema: Schema): boolean {
  return Object.keys(schema).every((key) => ANNOTATION_KEYWORDS.has(key) || key.startsWith("x-"));
}

function assertKnown(schema: Schema, where: string): void {
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATION_KEYWORDS.has(key) || key.startsWith("x-")) continue;
    if (!ASSERTION_KEYWORDS.has(key)) throw new Error(`${where}: unsupported JSON Schema keyword "${key}"`);
    if (key === "properties") {
      for (const [name, sub] of Object.entries(value as Record<string, Schema>)) {
        assertKnown(sub, `${where}.${name}`);
      }
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      assertKnown(value as Schema, `${where}[${key}]`);
    } else if (key === "anyOf" || key === "oneOf" || key === "allOf") {
      for (const [i, sub] of (value as Schema[]).entries()) assertKnown(sub, `${where}.${key}[${i}]`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Types

function jsDoc(lines: string[], indent: string): string {
  const text = lines
    .join("\n")
    .trim()
    .replace(/\*\//g, "*\\/")
    .split("\n")
    // Some descriptions carry runs of spaces from the source's line wrapping.
    .map((line) => line.replace(/ {2,}/g, " ").trim());
  if (text.length === 0 || (text.length === 1 && text[0] === "")) return "";
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`;
  return `${indent}/**\n${text.map((line) => (line ? `${indent} * ${line}` : `${indent} *`)).join("\n")}\n${indent} */\n`;
}

/** The first description found on a schema or, for a nullable wrapper, on its members. */
function describe(schema: Schema): string | undefined {
  if (typeof schema.description === "string") return schema.description;
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    const found = describe(member);
    if (found) return found;
  }
  return undefined;
}

function defaultOf(schema: Schema): unknown {
  if (schema.default !== undefined) return schema.default;
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    if (member.default !== undefined) return member.default;
  }
  return undefined;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propertyKey = (name: string): string => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

function union(members: string[]): string {
  const unique = [...new Set(members)];
  if (unique.includes("unknown")) return "unknown";
  return unique.map((m) => (m.includes("=>") ? `(${m})` : m)).join(" | ");
}

function typeOf(schema: Schema, indent: string): string {
  if (schema["x-openresponses-disallowed"]) return "never";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return union(schema.enum.map((value) => JSON.stringify(value)));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const members = alternatives.map((member) => {
      const text = typeOf(member, indent);
      return text.includes(" & ") ? `(${text})` : text;
    });
    if (alternatives.some((member) => member.$ref === WIRE_CONTENT_MARKER)) members.push("ExtensionContent");
    return union(members);
  }
  if (schema.allOf) {
    const parts = schema.allOf.filter((member) => !isEmptySchema(member)).map((m) => typeOf(m, indent));
    if (parts.length === 0) return "unknown";
    return parts.map((part) => (part.includes(" | ") ? `(${part})` : part)).join(" & ");
  }
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (type.length === 0 && !schema.properties) return "unknown";
  if (type.length > 1) return union(type.map((t) => typeOf({ ...schema, type: t }, indent)));
  switch (type[0]) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array": {
      const item = schema.items ? typeOf(schema.items, indent) : "unknown";
      return `Array<${item}>`;
    }
    default:
      return objectType(schema, indent);
  }
}

function objectType(schema: Schema, indent: string): string {
  const inner = `${indent}  `;
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  let body = "";
  for (const [name, sub] of Object.entries(properties)) {
    const doc = [describe(sub) ?? ""];
    const fallback = defaultOf(sub);
    if (fallback !== undefined) doc.push(`@default ${JSON.stringify(fallback)}`);
    if (sub["x-openresponses-disallowed"]) doc.push("Not allowed here (the specification forbids it).");
    body += jsDoc(doc, inner);
    body += `${inner}${propertyKey(name)}${required.has(name) ? "" : "?"}: ${typeOf(sub, inner)};\n`;
  }
  for (const name of required) {
    if (name in properties) continue;
    // The specification lists the field as required without declaring its shape; keep it required.
    body += jsDoc(["Required by the specification, which does not declare its type."], inner);
    body += `${inner}${propertyKey(name)}: unknown;\n`;
  }
  const extra = schema.additionalProperties;
  const hasProperties = Object.keys(properties).length > 0;
  if (extra === true || (typeof extra === "object" && isEmptySchema(extra))) {
    body += `${inner}[key: string]: unknown;\n`;
  } else if (typeof extra === "object") {
    body += `${inner}[key: string]: ${hasProperties ? "unknown" : typeOf(extra, inner)};\n`;
  } else if (extra === undefined && !hasProperties) {
    // An object schema with no declared properties accepts any object.
    body += `${inner}[key: string]: unknown;\n`;
  }
  return body ? `{\n${body}${indent}}` : "Record<string, never>";
}

export function generateTypes(doc: OpenAPIDocument): string {
  const schemas = doc.components.schemas;
  const names = Object.keys(schemas);
  let out = `// Generated by scripts/generate-spec.ts from openapi.json (Open Responses ${doc.info?.version ?? ""}).
// Do not edit by hand: run \`npm run generate:spec\`.
/* eslint-disable */

import type { ExtensionContent, ExtensionItem } from "./extensions.js";

`;
  for (const name of names) {
    const schema = schemas[name]!;
    assertKnown(schema, name);
    const doc = [describe(schema) ?? ""];
    out += jsDoc(doc, "");
    const isPlainObject =
      !schema.anyOf && !schema.oneOf && !schema.allOf && !schema.enum && schema.properties !== undefined;
    if (isPlainObject) {
      out += `export interface ${name} ${objectType(schema, "")}\n\n`;
    } else {
      let text = typeOf(schema, "");
      if (WIRE_ITEM_UNIONS.has(name)) text = union([text, "ExtensionItem"]);
      out += `export type ${name} = ${text};\n\n`;
    }
  }
  const events = names.filter((name) => name.endsWith("StreamingEvent"));
  out += `/** Every standard streaming event (the ${events.length} \`*StreamingEvent\` schemas), discriminated on \`type\`. */\n`;
  out += `export type StreamingEvent =\n${events.map((name) => `  | ${name}`).join("\n")};\n\n`;
  out += "/** Maps each component schema name to its type (used by `isValid` / `assertValid`). */\n";
  out += `export interface SchemaTypes {\n${names.map((name) => `  ${name}: ${name};`).join("\n")}\n}\n`;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Runtime schemas

/** The one extension keyword the validator reads: it words the error for a forbidden field. */
const KEPT_EXTENSION_KEYWORDS = new Set(["x-openresponses-disallowed"]);

function stripAnnotations(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATION_KEYWORDS.has(key)) continue;
    if (key.startsWith("x-") && !KEPT_EXTENSION_KEYWORDS.has(key)) continue;
    if (key === "properties") {
      const properties: Record<string, Schema> = {};
      for (const [name, sub] of Object.entries(value as Record<string, Schema>)) {
        properties[name] = stripAnnotations(sub);
      }
      out.properties = properties;
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = stripAnnotations(value as Schema);
    } else if (key === "anyOf" || key === "oneOf" || key === "allOf") {
      out[key] = (value as Schema[]).map(stripAnnotations);
    } else if (key === "$ref") {
      // Bare names are shorter and all refs point into components.schemas.
      out.$ref = refName(value as string);
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function generateSchemas(doc: OpenAPIDocument): string {
  const schemas = doc.components.schemas;
  const names = Object.keys(schemas);
  let out = `// Generated by scripts/generate-spec.ts from openapi.json (Open Responses ${doc.info?.version ?? ""}).
// Do not edit by hand: run \`npm run generate:spec\`. Annotations are stripped; \`$ref\` holds a bare
// schema name. Pure data with no side effects, so bundles that never validate drop it.

/** The component schema names, in specification order. */
export const schemaNames = [\n${names.map((name) => `  ${JSON.stringify(name)},`).join("\n")}\n] as const;

/** The component schemas, as the runtime validator reads them. */
export const schemas = {\n`;
  for (const name of names) {
    out += `  ${name}: ${JSON.stringify(stripAnnotations(schemas[name]!))},\n`;
  }
  out += "} as const;\n";
  return out;
}

export function readSpec(path: string = SPEC_PATH): OpenAPIDocument {
  return JSON.parse(readFileSync(path, "utf8")) as OpenAPIDocument;
}

export function generate(doc: OpenAPIDocument): { types: string; schemas: string } {
  return { types: generateTypes(doc), schemas: generateSchemas(doc) };
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const doc = readSpec();
  const { types, schemas } = generate(doc);
  writeFileSync(TYPES_PATH, types);
  writeFileSync(SCHEMAS_PATH, schemas);
  console.log(
    `Wrote ${Object.keys(doc.components.schemas).length} schemas to src/spec/types.gen.ts and src/spec/schemas.gen.ts`,
  );
}
