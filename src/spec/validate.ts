/**
 * A zero-dependency validator for the component schemas of the specification. It interprets the subset of
 * JSON Schema that `schemas.gen.ts` uses, with the semantics of JSON Schema (proven against ajv by
 * `test/spec/conformance.test.ts`).
 *
 * Each schema is compiled once, on first use, into closures. Validation runs a fast pass that allocates
 * nothing and, only when the value is invalid, a second pass that collects issues with their paths, so
 * the server can check every request body cheaply. Nothing runs at import time, so a bundle that never
 * validates drops this module and the schemas.
 */

import {
  type SchemaName,
  SpecValidationError,
  type ValidationIssue,
  type ValidationResult,
} from "./errors.js";
import { isExtensionType } from "./extensions.js";
import { schemas } from "./schemas.gen.js";
import type { SchemaTypes } from "./types.gen.js";

/** Options of `validate`, `isValid` and `assertValid`. */
export interface ValidateOptions {
  /**
   * Accept what the wire may carry beyond the standard schemas, exactly where the types do (rules X1–X4):
   * extension items (`acme:search_result` or a hosted-tool type such as `web_search_call`, with a string
   * `id`) wherever an output item (`ItemField`) is expected, and provider-prefixed content parts in the
   * response-side content unions. Request schemas (`ItemParam`, ...) stay exact. Off by default, which
   * checks the specification's schemas as written.
   */
  extensions?: boolean;
}

/** Checks `value` against the named schema and lists every problem found (up to a bound). */
export function validate(name: SchemaName, value: unknown, options?: ValidateOptions): ValidationResult {
  const check = compiled(name, options?.extensions === true);
  if (check(value, null, "")) return { valid: true };
  const errors: ValidationIssue[] = [];
  check(value, errors, "");
  if (errors.length === 0) errors.push({ path: "", message: `does not match ${name}` });
  return { valid: false, errors: errors.slice(0, MAX_ISSUES) };
}

/** Whether `value` matches the named schema; narrows it to the schema's type. */
export function isValid<N extends SchemaName>(
  name: N,
  value: unknown,
  options?: ValidateOptions,
): value is SchemaTypes[N] {
  return compiled(name, options?.extensions === true)(value, null, "");
}

/** Throws a `SpecValidationError` unless `value` matches the named schema; narrows it otherwise. */
export function assertValid<N extends SchemaName>(
  name: N,
  value: unknown,
  options?: ValidateOptions,
): asserts value is SchemaTypes[N] {
  const result = validate(name, value, options);
  if (!result.valid) throw new SpecValidationError(name, result.errors);
}

// ---------------------------------------------------------------------------------------------------

/** Issues are bounded so that a huge invalid array cannot produce a huge error. */
const MAX_ISSUES = 50;

/** The JSON Schema subset of `schemas.gen.ts`. */
interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly discriminator?: { readonly propertyName: string };
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly maxProperties?: number;
  readonly "x-openresponses-disallowed"?: boolean;
}

/**
 * A compiled check. With `issues === null` it only answers; otherwise it also records why the value
 * fails, under `path`. The two modes always agree on the answer.
 */
type Check = (value: unknown, issues: ValidationIssue[] | null, path: string) => boolean;

/** Two independent caches: the exact schemas, and the same schemas tolerant of extensions. */
let exactCache: Map<string, Check> | undefined;
let tolerantCache: Map<string, Check> | undefined;

function compiled(name: string, tolerant: boolean): Check {
  exactCache ??= new Map();
  tolerantCache ??= new Map();
  const cache = tolerant ? tolerantCache : exactCache;
  const hit = cache.get(name);
  if (hit) return hit;
  const schema = (schemas as unknown as Readonly<Record<string, JsonSchema>>)[name];
  if (!schema) throw new TypeError(`Unknown schema name: ${name}`);
  // Register a forwarder first so that recursive references resolve while compiling.
  let check: Check | undefined;
  const forward: Check = (value, issues, path) => check!(value, issues, path);
  cache.set(name, forward);
  check = compile(schema, tolerant);
  cache.set(name, check);
  return check;
}

function resolve(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 32; depth++) {
    current = (schemas as unknown as Readonly<Record<string, JsonSchema>>)[current.$ref] ?? {};
  }
  return current;
}

const hasOwn = Object.prototype.hasOwnProperty;

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  if (type === "number") return Number.isInteger(value) ? "integer" : "number";
  return type;
}

function childPath(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Length in Unicode code points, as JSON Schema counts it (a surrogate pair is one character). */
function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** Compiles a schema into a list of checks that all must pass (JSON Schema keywords are conjunctive). */
function compile(schema: JsonSchema, tolerant: boolean): Check {
  const checks: Check[] = [];
  if (schema.$ref) {
    const name = schema.$ref;
    // Resolved on first call, not at compile time, so that recursive references work.
    let target: Check | undefined;
    checks.push((value, issues, path) => {
      target ??= compiled(name, tolerant);
      return target(value, issues, path);
    });
  }
  if (schema.type !== undefined) checks.push(compileType(schema.type));
  if (schema.enum) checks.push(compileEnum(schema.enum));
  if (schema.const !== undefined) checks.push(compileEnum([schema.const]));
  const strings = compileStringKeywords(schema);
  if (strings) checks.push(strings);
  const numbers = compileNumberKeywords(schema);
  if (numbers) checks.push(numbers);
  if (schema.items || schema.minItems !== undefined || schema.maxItems !== undefined) {
    checks.push(compileArray(schema, tolerant));
  }
  if (
    schema.properties ||
    schema.required ||
    schema.additionalProperties !== undefined ||
    schema.maxProperties !== undefined
  ) {
    checks.push(compileObject(schema, tolerant));
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((part) => compile(part, tolerant));
    checks.push((value, issues, path) => {
      let ok = true;
      for (const part of parts) {
        if (!part(value, issues, path)) {
          ok = false;
          if (!issues) return false;
        }
      }
      return ok;
    });
  }
  if (schema.anyOf) checks.push(compileAlternatives(schema.anyOf, "anyOf", schema.discriminator, tolerant));
  if (schema.oneOf) checks.push(compileAlternatives(schema.oneOf, "oneOf", schema.discriminator, tolerant));

  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0]!;
  return (value, issues, path) => {
    for (const check of checks) {
      // Stop at the first failure: later keywords would mostly repeat it (a wrong type, say).
      if (!check(value, issues, path)) return false;
    }
    return true;
  };
}

function compileType(type: string | readonly string[]): Check {
  const allowed = typeof type === "string" ? [type] : [...type];
  const accepts = (value: unknown): boolean =>
    allowed.some((t) => {
      switch (t) {
        case "string":
          return typeof value === "string";
        case "number":
          return typeof value === "number" && Number.isFinite(value);
        case "integer":
          return typeof value === "number" && Number.isInteger(value);
        case "boolean":
          return typeof value === "boolean";
        case "null":
          return value === null;
        case "array":
          return Array.isArray(value);
        case "object":
          return typeof value === "object" && value !== null && !Array.isArray(value);
        default:
          return false;
      }
    });
  return (value, issues, path) => {
    if (accepts(value)) return true;
    issues?.push({ path, message: `expected ${allowed.join(" or ")}, got ${jsonType(value)}` });
    return false;
  };
}

function compileEnum(values: readonly unknown[]): Check {
  const primitives = new Set(values.filter((v) => v === null || typeof v !== "object"));
  const objects = values.filter((v) => v !== null && typeof v === "object");
  return (value, issues, path) => {
    if (primitives.has(value) || objects.some((candidate) => deepEqual(candidate, value))) return true;
    issues?.push({
      path,
      message: `must be ${values.length === 1 ? "" : "one of "}${values.map(preview).join(", ")} (got ${preview(value)})`,
    });
    return false;
  };
}

function compileStringKeywords(schema: JsonSchema): Check | undefined {
  const { minLength, maxLength, pattern } = schema;
  if (minLength === undefined && maxLength === undefined && pattern === undefined) return undefined;
  const regex = pattern === undefined ? undefined : new RegExp(pattern, "u");
  return (value, issues, path) => {
    if (typeof value !== "string") return true;
    // UTF-16 length bounds the code-point length from above and at least halves to it, so counting code
    // points is needed only near the limits.
    if (maxLength !== undefined && value.length > maxLength && codePoints(value) > maxLength) {
      issues?.push({ path, message: `must be at most ${maxLength} characters long` });
      return false;
    }
    if (minLength !== undefined && (value.length < minLength || codePoints(value) < minLength)) {
      issues?.push({
        path,
        message: `must be at least ${minLength} character${minLength === 1 ? "" : "s"} long`,
      });
      return false;
    }
    if (regex && !regex.test(value)) {
      issues?.push({ path, message: `must match the pattern ${pattern} (got ${preview(value)})` });
      return false;
    }
    return true;
  };
}

function compileNumberKeywords(schema: JsonSchema): Check | undefined {
  const { minimum, maximum } = schema;
  if (minimum === undefined && maximum === undefined) return undefined;
  return (value, issues, path) => {
    if (typeof value !== "number") return true;
    if (minimum !== undefined && value < minimum) {
      issues?.push({ path, message: `must be >= ${minimum} (got ${value})` });
      return false;
    }
    if (maximum !== undefined && value > maximum) {
      issues?.push({ path, message: `must be <= ${maximum} (got ${value})` });
      return false;
    }
    return true;
  };
}

function compileArray(schema: JsonSchema, tolerant: boolean): Check {
  const item = schema.items ? compile(schema.items, tolerant) : undefined;
  const { minItems, maxItems } = schema;
  return (value, issues, path) => {
    if (!Array.isArray(value)) return true;
    let ok = true;
    if (minItems !== undefined && value.length < minItems) {
      issues?.push({ path, message: `must have at least ${minItems} item${minItems === 1 ? "" : "s"}` });
      ok = false;
    }
    if (maxItems !== undefined && value.length > maxItems) {
      issues?.push({ path, message: `must have at most ${maxItems} items (got ${value.length})` });
      ok = false;
    }
    if (!ok && !issues) return false;
    if (item) {
      for (let i = 0; i < value.length; i++) {
        if (!item(value[i], issues, issues ? `${path}[${i}]` : "")) {
          ok = false;
          if (!issues || issues.length >= MAX_ISSUES) return false;
        }
      }
    }
    return ok;
  };
}

function compileObject(schema: JsonSchema, tolerant: boolean): Check {
  const properties = Object.entries(schema.properties ?? {}).map(
    ([key, sub]) => [key, disallowedCheck(sub) ?? compile(sub, tolerant)] as const,
  );
  const declared = new Set(Object.keys(schema.properties ?? {}));
  const required = schema.required ?? [];
  const extra = schema.additionalProperties;
  const extraCheck = typeof extra === "object" ? compile(extra, tolerant) : undefined;
  const { maxProperties } = schema;
  return (value, issues, path) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return true;
    const record = value as Record<string, unknown>;
    let ok = true;
    for (const key of required) {
      if (!hasOwn.call(record, key) || record[key] === undefined) {
        if (!issues) return false;
        issues.push({ path: childPath(path, key), message: "is required" });
        ok = false;
      }
    }
    for (const [key, check] of properties) {
      const field = record[key];
      if (field === undefined || !hasOwn.call(record, key)) continue;
      if (!check(field, issues, issues ? childPath(path, key) : "")) {
        if (!issues) return false;
        ok = false;
      }
    }
    if (extra !== undefined && extra !== true) {
      for (const key of Object.keys(record)) {
        if (declared.has(key) || record[key] === undefined) continue;
        if (extra === false) {
          if (!issues) return false;
          issues.push({ path: childPath(path, key), message: "is not allowed" });
          ok = false;
        } else if (extraCheck && !extraCheck(record[key], issues, issues ? childPath(path, key) : "")) {
          if (!issues) return false;
          ok = false;
        }
      }
    }
    if (maxProperties !== undefined) {
      let count = 0;
      for (const key of Object.keys(record)) if (record[key] !== undefined) count++;
      if (count > maxProperties) {
        issues?.push({ path, message: `must have at most ${maxProperties} properties (got ${count})` });
        ok = false;
      }
    }
    return ok;
  };
}

/**
 * A property the specification forbids (marked `x-openresponses-disallowed`; its schema is unsatisfiable
 * by construction) gets a message that says so instead of a confusing type error.
 */
function disallowedCheck(schema: JsonSchema): Check | undefined {
  if (!schema["x-openresponses-disallowed"]) return undefined;
  return (_value, issues, path) => {
    issues?.push({ path, message: "must not be sent here" });
    return false;
  };
}

/** What a branch of a union can be told apart by: its JSON types and its discriminator values. */
interface Branch {
  check: Check;
  /** JSON types the branch can accept; undefined when any. */
  types: ReadonlySet<string> | undefined;
  /** Values the `type` property may take; undefined when unconstrained. */
  tags: ReadonlySet<unknown> | undefined;
  /** The target object schema, for telling apart branches that share a tag. */
  target: JsonSchema;
  /** Whether the branch requires the `type` property. */
  requiresTag: boolean;
  describe: string;
}

const TAG = "type";

/** Follows `$ref`s and one-member unions (`oneOf: [X]`), which only wrap their member. */
function unwrap(schema: JsonSchema): JsonSchema {
  let current = resolve(schema);
  for (let depth = 0; depth < 32; depth++) {
    const only = current.oneOf ?? current.anyOf;
    if (only?.length !== 1 || current.type !== undefined || current.properties) break;
    current = resolve(only[0]!);
  }
  return current;
}

function branchOf(schema: JsonSchema, tolerant: boolean): Branch {
  const target = unwrap(schema);
  const rawTypes =
    target.type === undefined ? undefined : typeof target.type === "string" ? [target.type] : target.type;
  const types = rawTypes
    ? new Set(rawTypes.flatMap((t) => (t === "number" ? ["number", "integer"] : [t])))
    : undefined;
  const tags = target.properties?.[TAG] ? tagValues(target.properties[TAG]) : undefined;
  const describe = schema.$ref ?? (rawTypes ? rawTypes.join(" or ") : "a matching value");
  return {
    check: compile(schema, tolerant),
    target,
    types,
    tags,
    requiresTag: target.required?.includes(TAG) ?? false,
    describe,
  };
}

/** The values a `type` property schema allows, when it is an enum/const (possibly nullable). */
function tagValues(schema: JsonSchema): ReadonlySet<unknown> | undefined {
  const target = resolve(schema);
  if (target.enum) return new Set(target.enum);
  if (target.const !== undefined) return new Set([target.const]);
  const alternatives = target.anyOf ?? target.oneOf;
  if (!alternatives) return undefined;
  const values = new Set<unknown>();
  for (const alternative of alternatives) {
    const resolved = resolve(alternative);
    if (resolved.type === "null" && !resolved.enum) values.add(null);
    else {
      const nested = tagValues(resolved);
      if (!nested) return undefined;
      for (const value of nested) values.add(value);
    }
  }
  return values;
}

function compileAlternatives(
  schemas: readonly JsonSchema[],
  mode: "anyOf" | "oneOf",
  discriminator: { readonly propertyName: string } | undefined,
  tolerant: boolean,
): Check {
  let branches: Branch[] | undefined;
  const extension = tolerant ? extensionKind(schemas) : undefined;
  return (value, issues, path) => {
    branches ??= schemas.map((schema) => branchOf(schema, tolerant));
    const kind = jsonType(value);
    const tag =
      kind === "object" && hasOwn.call(value, TAG) ? (value as Record<string, unknown>)[TAG] : undefined;
    if (
      extension &&
      typeof tag === "string" &&
      isExtensionOf(extension, tag, value as Record<string, unknown>)
    ) {
      return true;
    }
    let matches = 0;
    for (const branch of branches) {
      // A branch that cannot take this JSON type or this `type` value would fail; skip it unchecked.
      if (branch.types && !branch.types.has(kind)) continue;
      if (tag !== undefined && branch.tags && !branch.tags.has(tag)) continue;
      if (branch.check(value, null, path)) {
        matches++;
        if (mode === "anyOf" || matches > 1) break;
      }
    }
    if (mode === "anyOf" ? matches > 0 : matches === 1) return true;
    if (issues) explainMismatch(branches, value, kind, tag, matches, issues, path, discriminator);
    return false;
  };
}

function explainMismatch(
  branches: Branch[],
  value: unknown,
  kind: string,
  tag: unknown,
  matches: number,
  issues: ValidationIssue[],
  path: string,
  discriminator: { readonly propertyName: string } | undefined,
): void {
  if (matches > 1) {
    issues.push({ path, message: "matches more than one of the allowed shapes" });
    return;
  }
  const byType = branches.filter((branch) => !branch.types || branch.types.has(kind));
  const tagged = kind === "object" ? byType.filter((branch) => branch.tags) : [];
  if (tagged.length > 0 && (discriminator || tagged.length === byType.length)) {
    const known = [...new Set(tagged.flatMap((branch) => [...branch.tags!].filter((t) => t !== null)))];
    if (tag === undefined && tagged.every((branch) => branch.requiresTag || discriminator)) {
      issues.push({
        path: childPath(path, TAG),
        message: `is required (one of ${known.map(preview).join(", ")})`,
      });
      return;
    }
    const candidates = byType.filter((branch) => !branch.tags || tag === undefined || branch.tags.has(tag));
    if (candidates.length === 0) {
      issues.push({
        path: childPath(path, TAG),
        message: `must be one of ${known.map(preview).join(", ")} (got ${preview(tag)})`,
      });
      return;
    }
    if (candidates.length === 1) {
      candidates[0]!.check(value, issues, path);
      return;
    }
    // Several shapes share the tag (the four message roles): name a second field that tells them apart.
    const secondary = secondaryMismatch(candidates, value as Record<string, unknown>, path);
    if (secondary) {
      issues.push(secondary);
      return;
    }
  }
  if (byType.length === 1) {
    byType[0]!.check(value, issues, path);
    return;
  }
  if (byType.length === 0) {
    const expected = [...new Set(branches.map((branch) => branch.describe))].join(" or ");
    issues.push({ path, message: `expected ${expected}, got ${kind}` });
    return;
  }
  // Several shapes take this JSON type: report the one that gets furthest (fewest issues), among those
  // whose tag fits when the value has one.
  const fitting = byType.filter((branch) => tag === undefined || !branch.tags || branch.tags.has(tag));
  let best: ValidationIssue[] | undefined;
  for (const branch of fitting.length > 0 ? fitting : byType) {
    const found: ValidationIssue[] = [];
    branch.check(value, found, path);
    if (!best || found.length < best.length) best = found;
  }
  issues.push(...(best ?? [{ path, message: "does not match any of the allowed shapes" }]));
}

/**
 * When every candidate constrains the same property to a set of constants (`role` for messages) and the
 * value's property is in none of them, that property is the mistake.
 */
function secondaryMismatch(
  candidates: Branch[],
  value: Record<string, unknown>,
  path: string,
): ValidationIssue | undefined {
  const first = candidates[0]?.target.properties ?? {};
  for (const key of Object.keys(first)) {
    if (key === TAG) continue;
    const allowed = new Set<unknown>();
    let shared = true;
    for (const candidate of candidates) {
      const property = candidate.target.properties?.[key];
      const values = property ? tagValues(property) : undefined;
      if (!values) {
        shared = false;
        break;
      }
      for (const v of values) allowed.add(v);
    }
    if (!shared || allowed.has(value[key])) continue;
    const known = [...allowed].filter((v) => v !== null);
    if (value[key] === undefined) {
      return { path: childPath(path, key), message: `is required (one of ${known.map(preview).join(", ")})` };
    }
    return {
      path: childPath(path, key),
      message: `must be one of ${known.map(preview).join(", ")} (got ${preview(value[key])})`,
    };
  }
  return undefined;
}

/**
 * Which extensions a union accepts in tolerant mode, by the same markers the type generator uses: the
 * output item union (its `Message` member) takes extension items; a response-side content union (its
 * `InputTextContent` member; requests use `InputTextContentParam`) takes prefixed content parts.
 */
function extensionKind(alternatives: readonly JsonSchema[]): "item" | "content" | undefined {
  if (alternatives.some((schema) => schema.$ref === "Message")) return "item";
  if (alternatives.some((schema) => schema.$ref === "InputTextContent")) return "content";
  return undefined;
}

/** Mirrors `ExtensionItem` (a hosted-tool or prefixed type, and an `id`) and `ExtensionContent`. */
function isExtensionOf(kind: "item" | "content", tag: string, value: Record<string, unknown>): boolean {
  if (kind === "content") return isPrefixed(tag);
  return isExtensionType(tag) && typeof value.id === "string";
}

function isPrefixed(type: string): boolean {
  const colon = type.indexOf(":");
  return colon > 0 && colon < type.length - 1;
}
