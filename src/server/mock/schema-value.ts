/**
 * Builds a JSON value that satisfies a JSON Schema, filled from the user's words where it can be:
 * "weather in Paris" gives `{ city: "Paris" }` for a schema with a required `city` string. Used for
 * function-call arguments and for `text.format` json_schema answers. It covers the schema subset tools
 * use in practice (types, required, enum, const, nested objects, arrays, anyOf/oneOf, local $ref, bounds,
 * common string formats) and falls back to type-correct zero values for the rest. Its work and output are
 * held to a `ValueBudget` (see `value-budget.ts`), whatever the schema asks for.
 */

import { mentionedOption, NOT_MENTIONED } from "./enum-match.js";
import { schemaChars, ValueBudget, type ValueLimits, valueLimits } from "./value-budget.js";
import { WordFacts } from "./word-facts.js";

export { findPlaces } from "./word-facts.js";

export interface WordHints {
  /** The user's words. */
  text: string;
  /** The model's plain-text answer, for properties that want one ("answer", "summary", ...). */
  answer?: string;
  /** A computed number (an arithmetic result), for numeric "result"/"answer" properties. */
  numericAnswer?: number;
}

type Schema = Record<string, unknown>;

interface Built {
  value: unknown;
  /** True when the value came from the user's words rather than a default. */
  derived: boolean;
}

interface BuildContext {
  hints: WordHints;
  root: Schema;
  numbers: number[];
  nextNumber: number;
  /** Schema nodes still allowed to be built (see MAX_NODES). */
  budget: number;
  /** Work and output characters left for the whole value. */
  spend: ValueBudget;
  /** What the user's words say, each fact found once (enum options are looked up in them too). */
  facts: WordFacts;
  /** The option each enum list resolved to, so a list named by many `$ref`s is read once. */
  enums: WeakMap<readonly unknown[], unknown>;
  /** Each distinct local `$ref`, resolved once. */
  refs: Map<string, Schema>;
}

const MAX_DEPTH = 8;
/**
 * Bounds on what one request can make the model build. The schema comes from the request (a tool's
 * `parameters`, `text.format`), so without them `minLength: 1e9`, `minItems: 1e9` or an array of a
 * recursive `$ref` would allocate until the server process dies. Past a bound the value stops growing
 * (a node becomes null, a string or array stops at the cap): a best effort, never a crash. The
 * `ValueBudget` bounds what these caps multiplied together would still allow.
 */
const MAX_NODES = 2000;
const MAX_STRING_LENGTH = 10_000;
const MAX_ARRAY_ITEMS = 100;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function words(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function has(name: string, ...candidates: string[]): boolean {
  const parts = words(name);
  return candidates.some((candidate) => parts.includes(candidate));
}

function stringValue(name: string, schema: Schema, ctx: BuildContext): Built {
  const facts = ctx.facts;
  const format = typeof schema.format === "string" ? schema.format : undefined;
  const found = (value: string | undefined): Built | undefined =>
    value ? { value, derived: true } : undefined;
  const named = new Set(words(name));
  const has = (...candidates: string[]) => candidates.some((candidate) => named.has(candidate));

  if (format === "email" || has("email")) {
    return found(facts.email) ?? { value: "user@example.com", derived: false };
  }
  if (format === "uri" || format === "url" || has("url", "uri", "link", "website")) {
    return found(facts.url) ?? { value: "https://example.com", derived: false };
  }
  if (format === "date-time") {
    const date = facts.date;
    return { value: `${date ?? "2026-01-01"}T00:00:00Z`, derived: date !== undefined };
  }
  if (format === "date" || has("date", "day")) {
    return found(facts.date) ?? { value: format === "date" ? "2026-01-01" : "today", derived: false };
  }
  if (has("city", "location", "place", "town", "country", "region", "destination", "origin", "where")) {
    return found(facts.places[0]) ?? { value: facts.lastWord, derived: false };
  }
  if (has("answer", "response", "reply", "result", "output", "summary", "explanation", "reason")) {
    return { value: ctx.hints.answer ?? facts.text, derived: true };
  }
  if (
    has(
      "query",
      "q",
      "search",
      "question",
      "prompt",
      "text",
      "input",
      "message",
      "topic",
      "keyword",
      "term",
      "content",
      "body",
      "title",
      "subject",
    )
  ) {
    return { value: facts.topic ?? facts.text, derived: true };
  }
  if (has("name", "person", "user", "username", "recipient", "who")) {
    return found(facts.person) ?? { value: facts.quoted ?? "user", derived: false };
  }
  if (has("language", "lang", "locale")) return { value: "en", derived: false };
  if (has("id")) return { value: facts.quoted ?? "1", derived: false };
  return found(facts.quoted ?? facts.places[0]) ?? { value: facts.text, derived: false };
}

function clampString(value: string, schema: Schema, spend: ValueBudget): string {
  const max = typeof schema.maxLength === "number" ? schema.maxLength : undefined;
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  // Two characters for the quotes; the string stops where the value's output budget does.
  const room = Math.max(0, Math.min(MAX_STRING_LENGTH, spend.charsLeft - 2));
  const cut = Math.min(max ?? room, room);
  const out = value.length > cut ? value.slice(0, Math.max(0, cut)) : value;
  const wanted = Math.min(min, room);
  const result = out.length < wanted ? out + "x".repeat(wanted - out.length) : out;
  spend.chars(result.length + 2);
  return result;
}

function numberValue(name: string, schema: Schema, ctx: BuildContext, integer: boolean): Built {
  const min = typeof schema.minimum === "number" ? schema.minimum : undefined;
  const max = typeof schema.maximum === "number" ? schema.maximum : undefined;
  let value: number | undefined;
  let derived = false;
  if (
    ctx.hints.numericAnswer !== undefined &&
    has(name, "answer", "result", "value", "total", "sum", "product")
  ) {
    value = ctx.hints.numericAnswer;
    derived = true;
  } else if (ctx.nextNumber < ctx.numbers.length) {
    value = ctx.numbers[ctx.nextNumber++];
    derived = true;
  }
  if (value === undefined) value = typeof schema.default === "number" ? schema.default : (min ?? 0);
  if (min !== undefined && value < min) value = min;
  if (max !== undefined && value > max) value = max;
  if (integer) value = Math.round(value);
  return ctx.spend.chars(String(value).length) ? { value, derived } : NOTHING;
}

function booleanValue(name: string, schema: Schema, ctx: BuildContext): Built {
  const significant = words(name).filter(
    (word) => !["is", "has", "include", "use", "with", "enable"].includes(word),
  );
  const mentioned = significant.length > 0 && significant.every((word) => ctx.facts.lower.includes(word));
  const value = mentioned || (typeof schema.default === "boolean" ? schema.default : false);
  return ctx.spend.chars(5) ? { value, derived: mentioned } : NOTHING;
}

/** A local `$ref` resolved against the root, each distinct reference walked once (`ctx.refs`). */
function resolveRef(schema: Schema, ctx: BuildContext): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#")) return schema;
  const known = ctx.refs.get(ref);
  if (known !== undefined) return known;
  let target: unknown = ctx.root;
  if (ctx.spend.work(ctx.spend.scanCost(ref))) {
    // Segment by segment, stopping where the path leaves the schema (bodies nest at most 128 deep).
    for (let at = 1; at < ref.length && isSchema(target); ) {
      const slash = ref.indexOf("/", at);
      const end = slash < 0 ? ref.length : slash;
      const segment = ref.slice(at, end);
      if (segment !== "") target = target[segment.replace(/~1/g, "/").replace(/~0/g, "~")];
      at = end + 1;
    }
  } else {
    target = undefined;
  }
  const resolved = isSchema(target) ? target : {};
  ctx.refs.set(ref, resolved);
  return resolved;
}

function primaryType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type))
    return type.find((entry): entry is string => typeof entry === "string" && entry !== "null");
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

const NOTHING: Built = { value: null, derived: false };

/** A value the schema itself names (`const`, an enum option, `default`), if the output budget has room. */
function given(value: unknown, derived: boolean, spend: ValueBudget): Built {
  return spend.value(value) ? { value, derived } : NOTHING;
}

function build(schemaIn: unknown, name: string, ctx: BuildContext, depth: number): Built {
  // The name is read (split into words) by most kinds of value: a long one costs accordingly.
  if (!isSchema(schemaIn) || depth > MAX_DEPTH || ctx.budget <= 0) return NOTHING;
  if (!ctx.spend.work(ctx.spend.scanCost(name))) return NOTHING;
  ctx.budget -= 1;
  const schema = resolveRef(schemaIn, ctx);
  if ("const" in schema) return given(schema.const, false, ctx.spend);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const mentioned = mentionedOption(schema.enum, ctx.facts, ctx.spend, ctx.enums);
    if (mentioned !== NOT_MENTIONED) return given(mentioned, true, ctx.spend);
    return given("default" in schema ? schema.default : schema.enum[0], false, ctx.spend);
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) {
    const branch = branches.find((option) => isSchema(option) && option.type !== "null") ?? branches[0];
    return build(branch, name, ctx, depth + 1);
  }
  if (Array.isArray(schema.allOf)) return allOfValue(schema.allOf, name, ctx, depth);
  switch (primaryType(schema)) {
    case "object":
      return objectValue(schema, ctx, depth);
    case "array":
      return arrayValue(name, schema, ctx, depth);
    case "integer":
      return numberValue(name, schema, ctx, true);
    case "number":
      return numberValue(name, schema, ctx, false);
    case "boolean":
      return booleanValue(name, schema, ctx);
    case "null":
      ctx.spend.chars(4);
      return NOTHING;
    default: {
      const built = stringValue(name, schema, ctx);
      return { value: clampString(String(built.value), schema, ctx.spend), derived: built.derived };
    }
  }
}

/** `allOf`: the parts' properties and required lists merged into one object schema. */
function allOfValue(parts: unknown[], name: string, ctx: BuildContext, depth: number): Built {
  const properties: Schema = {};
  const required: unknown[] = [];
  // A part named twice (the same `$ref` a thousand times) adds nothing the first did not.
  const seen = new Set<Schema>();
  for (const part of parts) {
    if (!ctx.spend.work()) break;
    const resolved = isSchema(part) ? resolveRef(part, ctx) : {};
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    if (resolved.type && resolved.type !== "object" && !resolved.properties)
      return build(resolved, name, ctx, depth + 1);
    if (isSchema(resolved.properties)) {
      for (const key in resolved.properties) {
        if (!ctx.spend.work()) break;
        properties[key] = resolved.properties[key];
      }
    }
    // Element by element: a spread of a huge list would overflow the stack.
    if (Array.isArray(resolved.required)) {
      for (const key of resolved.required) {
        if (!ctx.spend.work()) break;
        required.push(key);
      }
    }
  }
  return build({ type: "object", properties, required }, name, ctx, depth + 1);
}

function objectValue(schema: Schema, ctx: BuildContext, depth: number): Built {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set<string>();
  if (Array.isArray(schema.required)) {
    for (const key of schema.required) {
      if (!ctx.spend.work()) break;
      if (typeof key === "string") required.add(key);
    }
  }
  const out: Record<string, unknown> = {};
  let derived = false;
  if (!ctx.spend.chars(2)) return NOTHING;
  // for...in rather than Object.entries: nothing is copied, and the walk stops with the budget.
  for (const key in properties) {
    if (!Object.hasOwn(properties, key)) continue;
    // The key, its quotes, the colon and a comma.
    if (ctx.spend.exhausted || !ctx.spend.chars(key.length + 4)) break;
    const built = build(properties[key], key, ctx, depth + 1);
    // Optional properties appear only when the user's words supplied them: no invented extras.
    if (required.has(key) || built.derived) out[key] = built.value;
    derived ||= built.derived;
  }
  return { value: out, derived };
}

function arrayValue(name: string, schema: Schema, ctx: BuildContext, depth: number): Built {
  const min = typeof schema.minItems === "number" ? schema.minItems : 0;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : 10;
  const items = isSchema(schema.items) ? resolveRef(schema.items, ctx) : undefined;
  if (!ctx.spend.chars(2)) return NOTHING;
  if (!items) return { value: [], derived: false };
  const singular = name.replace(/ies$/, "y").replace(/s$/, "");
  const places =
    primaryType(items) === "string" && has(singular, "city", "location", "place", "country")
      ? ctx.facts.places
      : [];
  if (places.length > 0) {
    const listed: string[] = [];
    for (const place of places.slice(0, Math.max(1, max))) {
      if (!ctx.spend.chars(place.length + 3)) break;
      listed.push(place);
    }
    return { value: listed, derived: true };
  }
  const first = build(items, singular, ctx, depth + 1);
  const count = Math.min(max, Math.max(min, first.derived ? 1 : 0), MAX_ARRAY_ITEMS);
  const values = count > 0 ? [first.value] : [];
  // One more comma per item; the items stop with the budget.
  while (values.length < count && !ctx.spend.exhausted && ctx.spend.chars(1)) {
    values.push(build(items, singular, ctx, depth + 1).value);
  }
  return { value: values, derived: first.derived };
}

/** The limits a value gets when its caller names none: from the schema's and the words' sizes. */
function defaultLimits(schema: unknown, hints: WordHints): ValueLimits {
  return valueLimits(schemaChars(schema), hints.text.length + (hints.answer?.length ?? 0));
}

/**
 * A value for `schema` built from `hints`; deterministic for the same inputs. Its work and its output
 * (about its JSON length) stay within `limits`, by default sized from the schema and the words.
 */
export function valueForSchema(
  schema: unknown,
  hints: WordHints,
  rootName = "",
  limits: ValueLimits = defaultLimits(schema, hints),
): unknown {
  const numbers = (hints.text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  const root = isSchema(schema) ? schema : {};
  const spend = new ValueBudget(limits);
  const ctx: BuildContext = {
    hints,
    root,
    numbers,
    nextNumber: 0,
    budget: MAX_NODES,
    spend,
    facts: new WordFacts(hints.text, spend),
    enums: new WeakMap(),
    refs: new Map(),
  };
  const built = build(isSchema(schema) ? schema : { type: "object", properties: {} }, rootName, ctx, 0);
  return built.value;
}
