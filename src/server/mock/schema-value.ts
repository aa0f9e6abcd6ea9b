/**
 * Builds a JSON value that satisfies a JSON Schema, filled from the user's words where it can be:
 * "weather in Paris" gives `{ city: "Paris" }` for a schema with a required `city` string. Used for
 * function-call arguments and for `text.format` json_schema answers. It covers the schema subset tools
 * use in practice (types, required, enum, const, nested objects, arrays, anyOf/oneOf, local $ref, bounds,
 * common string formats) and falls back to type-correct zero values for the rest.
 */

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
}

const MAX_DEPTH = 8;
/**
 * Bounds on what one request can make the model build. The schema comes from the request (a tool's
 * `parameters`, `text.format`), so without them `minLength: 1e9`, `minItems: 1e9` or an array of a
 * recursive `$ref` would allocate until the server process dies. Past a bound the value stops growing
 * (a node becomes null, a string or array stops at the cap): a best effort, never a crash.
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

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A place name: a capitalised phrase after "in/at/for/near/from/to", else the word after "in". */
export function findPlaces(text: string): string[] {
  const places: string[] = [];
  const capitalised =
    /\b(?:in|at|for|near|from|to|of|about|visit|visiting)\s+((?:[A-Z][\p{L}'.-]*)(?:\s+[A-Z][\p{L}'.-]*)*)/gu;
  for (const match of text.matchAll(capitalised)) if (match[1]) places.push(match[1]);
  if (places.length === 0) {
    const lower = /\b(?:in|at|near)\s+([\p{L}'-]{2,})/iu.exec(text);
    if (lower?.[1]) places.push(capitalise(lower[1]));
  }
  // "Paris and London": pick up capitalised words joined to a found place by "and"/",".
  const joined = /\b(?:and|or|,)\s+([A-Z][\p{L}'.-]+)/gu;
  if (places.length > 0) for (const match of text.matchAll(joined)) if (match[1]) places.push(match[1]);
  return [...new Set(places)];
}

function findQuoted(text: string): string | undefined {
  return /["“']([^"”']{1,200})["”']/.exec(text)?.[1];
}

function findTopic(text: string): string | undefined {
  const topic = /\b(?:for|about|on|regarding)\s+(.+?)[.?!]*$/i.exec(text)?.[1];
  return findQuoted(text) ?? topic?.trim();
}

function findPerson(text: string): string | undefined {
  return /\b(?:named|called|for|to|with)\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?)/u.exec(text)?.[1];
}

function findDate(text: string): string | undefined {
  return /\b\d{4}-\d{2}-\d{2}\b/.exec(text)?.[0];
}

function stringValue(name: string, schema: Schema, hints: WordHints): Built {
  const text = hints.text.trim();
  const format = typeof schema.format === "string" ? schema.format : undefined;
  const found = (value: string | undefined): Built | undefined =>
    value ? { value, derived: true } : undefined;

  if (format === "email" || has(name, "email")) {
    return found(/[\w.+-]+@[\w-]+\.[\w.-]+/.exec(text)?.[0]) ?? { value: "user@example.com", derived: false };
  }
  if (format === "uri" || format === "url" || has(name, "url", "uri", "link", "website")) {
    return found(/https?:\/\/\S+/.exec(text)?.[0]) ?? { value: "https://example.com", derived: false };
  }
  if (format === "date-time") {
    const date = findDate(text);
    return { value: `${date ?? "2026-01-01"}T00:00:00Z`, derived: date !== undefined };
  }
  if (format === "date" || has(name, "date", "day")) {
    return found(findDate(text)) ?? { value: format === "date" ? "2026-01-01" : "today", derived: false };
  }
  if (has(name, "city", "location", "place", "town", "country", "region", "destination", "origin", "where")) {
    const place = findPlaces(text)[0];
    return found(place) ?? { value: text.split(/\s+/).pop() ?? "", derived: false };
  }
  if (has(name, "answer", "response", "reply", "result", "output", "summary", "explanation", "reason")) {
    return { value: hints.answer ?? text, derived: true };
  }
  if (
    has(
      name,
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
    return { value: findTopic(text) ?? text, derived: true };
  }
  if (has(name, "name", "person", "user", "username", "recipient", "who")) {
    return found(findPerson(text)) ?? { value: findQuoted(text) ?? "user", derived: false };
  }
  if (has(name, "language", "lang", "locale")) return { value: "en", derived: false };
  if (has(name, "id")) return { value: findQuoted(text) ?? "1", derived: false };
  return found(findQuoted(text) ?? findPlaces(text)[0]) ?? { value: text, derived: false };
}

function clampString(value: string, schema: Schema): string {
  const max = typeof schema.maxLength === "number" ? schema.maxLength : undefined;
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const out = max !== undefined ? value.slice(0, max) : value;
  const wanted = Math.min(min, MAX_STRING_LENGTH);
  return out.length < wanted ? out + "x".repeat(wanted - out.length) : out;
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
  return { value, derived };
}

function booleanValue(name: string, schema: Schema, text: string): Built {
  const significant = words(name).filter(
    (word) => !["is", "has", "include", "use", "with", "enable"].includes(word),
  );
  const lower = text.toLowerCase();
  if (significant.length > 0 && significant.every((word) => lower.includes(word)))
    return { value: true, derived: true };
  return { value: typeof schema.default === "boolean" ? schema.default : false, derived: false };
}

function resolveRef(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#")) return schema;
  let target: unknown = root;
  for (const segment of ref.slice(1).split("/").filter(Boolean)) {
    target = isSchema(target) ? target[segment.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  return isSchema(target) ? target : {};
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

function build(schemaIn: unknown, name: string, ctx: BuildContext, depth: number): Built {
  if (!isSchema(schemaIn) || depth > MAX_DEPTH || ctx.budget <= 0) return { value: null, derived: false };
  ctx.budget -= 1;
  const schema = resolveRef(schemaIn, ctx.root);
  if ("const" in schema) return { value: schema.const, derived: false };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const lower = ctx.hints.text.toLowerCase();
    const mentioned = schema.enum.find(
      (option) =>
        typeof option === "string" && new RegExp(`\\b${escapeRegExp(option.toLowerCase())}\\b`).test(lower),
    );
    if (mentioned !== undefined) return { value: mentioned, derived: true };
    return { value: "default" in schema ? schema.default : schema.enum[0], derived: false };
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) {
    const branch = branches.find((option) => isSchema(option) && option.type !== "null") ?? branches[0];
    return build(branch, name, ctx, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = { type: "object", properties: {}, required: [] };
    for (const part of schema.allOf) {
      const resolved = isSchema(part) ? resolveRef(part, ctx.root) : {};
      Object.assign(merged.properties as Schema, isSchema(resolved.properties) ? resolved.properties : {});
      if (Array.isArray(resolved.required)) (merged.required as unknown[]).push(...resolved.required);
      if (resolved.type && resolved.type !== "object" && !resolved.properties)
        return build(resolved, name, ctx, depth + 1);
    }
    return build(merged, name, ctx, depth + 1);
  }
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
      return booleanValue(name, schema, ctx.hints.text);
    case "null":
      return { value: null, derived: false };
    default: {
      const built = stringValue(name, schema, ctx.hints);
      return { value: clampString(String(built.value), schema), derived: built.derived };
    }
  }
}

function objectValue(schema: Schema, ctx: BuildContext, depth: number): Built {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((k) => typeof k === "string") : [],
  );
  const out: Record<string, unknown> = {};
  let derived = false;
  for (const [key, propertySchema] of Object.entries(properties)) {
    const built = build(propertySchema, key, ctx, depth + 1);
    // Optional properties appear only when the user's words supplied them: no invented extras.
    if (required.has(key) || built.derived) out[key] = built.value;
    derived ||= built.derived;
  }
  return { value: out, derived };
}

function arrayValue(name: string, schema: Schema, ctx: BuildContext, depth: number): Built {
  const min = typeof schema.minItems === "number" ? schema.minItems : 0;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : 10;
  const items = isSchema(schema.items) ? resolveRef(schema.items, ctx.root) : undefined;
  if (!items) return { value: [], derived: false };
  const singular = name.replace(/ies$/, "y").replace(/s$/, "");
  const places =
    primaryType(items) === "string" && has(singular, "city", "location", "place", "country")
      ? findPlaces(ctx.hints.text)
      : [];
  if (places.length > 0) return { value: places.slice(0, Math.max(1, max)), derived: true };
  const first = build(items, singular, ctx, depth + 1);
  const count = Math.min(max, Math.max(min, first.derived ? 1 : 0), MAX_ARRAY_ITEMS);
  const values = count > 0 ? [first.value] : [];
  while (values.length < count) values.push(build(items, singular, ctx, depth + 1).value);
  return { value: values, derived: first.derived };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A value for `schema` built from `hints`; deterministic for the same inputs. */
export function valueForSchema(schema: unknown, hints: WordHints, rootName = ""): unknown {
  const numbers = (hints.text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  const root = isSchema(schema) ? schema : {};
  const ctx: BuildContext = { hints, root, numbers, nextNumber: 0, budget: MAX_NODES };
  const built = build(isSchema(schema) ? schema : { type: "object", properties: {} }, rootName, ctx, 0);
  return built.value;
}
