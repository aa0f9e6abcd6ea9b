/**
 * JSON Schema for a zod 3 schema, read from its `_def` tree. zod 3 has no converter of its own and the
 * client takes no run-time dependency, so this covers what structured outputs and tool parameters use:
 * objects, arrays, tuples, records, strings/numbers/booleans with their common checks, enums, literals,
 * unions, nullable/optional/default, descriptions, and transparent wrappers (effects, branded,
 * readonly, catch, pipeline, lazy). Anything else is a clear error naming the type: pass `jsonSchema`.
 */

type Def = Record<string, unknown> & { typeName?: string; description?: string };
type JSONSchema = Record<string, unknown>;

interface Zod3Like {
  readonly _def: Def;
}

export function isZod3Schema(value: unknown): value is Zod3Like {
  if (typeof value !== "object" || value === null) return false;
  const def = (value as { _def?: unknown })._def;
  // zod 4 schemas carry `_zod`; zod 3 ones only `_def` with a `typeName`.
  return (
    typeof def === "object" && def !== null && typeof (def as Def).typeName === "string" && !("_zod" in value)
  );
}

export function zod3ToJSONSchema(schema: Zod3Like): JSONSchema {
  return convert(schema, [], 0);
}

const MAX_DEPTH = 64;

function convert(schema: Zod3Like, path: string[], depth: number): JSONSchema {
  if (depth > MAX_DEPTH) throw unsupported(path, "a schema nested more than 64 levels (a recursive z.lazy?)");
  const def = schema._def;
  const out = convertDef(def, path, depth);
  if (typeof def.description === "string" && out.description === undefined) out.description = def.description;
  return out;
}

function child(value: unknown, path: string[], depth: number): JSONSchema {
  if (!isZod3Schema(value)) throw unsupported(path, "a value that is not a zod 3 schema");
  return convert(value, path, depth + 1);
}

function convertDef(def: Def, path: string[], depth: number): JSONSchema {
  switch (def.typeName) {
    case "ZodString":
      return stringSchema(def);
    case "ZodNumber":
      return numberSchema(def);
    case "ZodBigInt":
      return { type: "integer" };
    case "ZodBoolean":
      return { type: "boolean" };
    case "ZodNull":
      return { type: "null" };
    case "ZodDate":
      return { type: "string", format: "date-time" };
    case "ZodAny":
    case "ZodUnknown":
      return {};
    case "ZodLiteral": {
      const value = def.value;
      return value === null ? { type: "null" } : { type: typeof value, const: value };
    }
    case "ZodEnum":
      return { type: "string", enum: [...(def.values as string[])] };
    case "ZodNativeEnum": {
      const values = def.values as Record<string, string | number>;
      // A numeric TypeScript enum maps names to numbers and numbers back to names: keep the values.
      const list = Object.keys(values)
        .filter((key) => typeof values[values[key] as string] !== "number")
        .map((key) => values[key] as string | number);
      const types = [...new Set(list.map((value) => typeof value))];
      return { type: types.length === 1 ? types[0] : types, enum: list };
    }
    case "ZodArray": {
      const out: JSONSchema = { type: "array", items: child(def.type, [...path, "[]"], depth) };
      const min = (def.minLength as { value?: number } | null)?.value;
      const max = (def.maxLength as { value?: number } | null)?.value;
      const exact = (def.exactLength as { value?: number } | null)?.value;
      if (exact !== undefined) {
        out.minItems = exact;
        out.maxItems = exact;
      }
      if (min !== undefined) out.minItems = min;
      if (max !== undefined) out.maxItems = max;
      return out;
    }
    case "ZodTuple": {
      const items = (def.items as unknown[]).map((item, index) =>
        child(item, [...path, String(index)], depth),
      );
      const out: JSONSchema = { type: "array", prefixItems: items, minItems: items.length };
      if (def.rest) out.items = child(def.rest, [...path, "..."], depth);
      else out.maxItems = items.length;
      return out;
    }
    case "ZodObject":
      return objectSchema(def, path, depth);
    case "ZodRecord":
      return { type: "object", additionalProperties: child(def.valueType, [...path, "*"], depth) };
    case "ZodUnion":
    case "ZodDiscriminatedUnion": {
      const options = def.options as unknown[] | Map<unknown, unknown>;
      const list = Array.isArray(options) ? options : [...options.values()];
      return { anyOf: list.map((option, index) => child(option, [...path, `|${index}`], depth)) };
    }
    case "ZodIntersection":
      return { allOf: [child(def.left, path, depth), child(def.right, path, depth)] };
    case "ZodNullable": {
      const inner = child(def.innerType, path, depth);
      return { anyOf: [inner, { type: "null" }] };
    }
    case "ZodOptional":
    case "ZodReadonly":
    case "ZodCatch":
    case "ZodBranded":
      return child(def.innerType ?? def.type, path, depth);
    case "ZodDefault": {
      const inner = child(def.innerType, path, depth);
      const value =
        typeof def.defaultValue === "function" ? (def.defaultValue as () => unknown)() : undefined;
      return value === undefined ? inner : { ...inner, default: value };
    }
    case "ZodEffects":
      return child(def.schema, path, depth);
    case "ZodPipeline":
      return child(def.in, path, depth);
    case "ZodLazy":
      return child((def.getter as () => unknown)(), path, depth);
    default:
      throw unsupported(path, def.typeName ?? "an unknown zod type");
  }
}

function stringSchema(def: Def): JSONSchema {
  const out: JSONSchema = { type: "string" };
  for (const check of (def.checks as Array<{ kind: string; value?: unknown; regex?: RegExp }>) ?? []) {
    switch (check.kind) {
      case "min":
        out.minLength = check.value;
        break;
      case "max":
        out.maxLength = check.value;
        break;
      case "length":
        out.minLength = check.value;
        out.maxLength = check.value;
        break;
      case "email":
      case "uuid":
        out.format = check.kind;
        break;
      case "url":
        out.format = "uri";
        break;
      case "datetime":
        out.format = "date-time";
        break;
      case "date":
      case "time":
        out.format = check.kind;
        break;
      case "regex":
        if (check.regex) out.pattern = check.regex.source;
        break;
    }
  }
  return out;
}

function numberSchema(def: Def): JSONSchema {
  const out: JSONSchema = { type: "number" };
  for (const check of (def.checks as Array<{ kind: string; value?: number; inclusive?: boolean }>) ?? []) {
    if (check.kind === "int") out.type = "integer";
    else if (check.kind === "min")
      out[check.inclusive === false ? "exclusiveMinimum" : "minimum"] = check.value;
    else if (check.kind === "max")
      out[check.inclusive === false ? "exclusiveMaximum" : "maximum"] = check.value;
    else if (check.kind === "multipleOf") out.multipleOf = check.value;
  }
  return out;
}

function objectSchema(def: Def, path: string[], depth: number): JSONSchema {
  const shape = (
    typeof def.shape === "function" ? (def.shape as () => Record<string, unknown>)() : def.shape
  ) as Record<string, unknown> | undefined;
  const properties: Record<string, JSONSchema> = {};
  const required: string[] = [];
  for (const [key, value] of Object.entries(shape ?? {})) {
    properties[key] = child(value, [...path, key], depth);
    if (!isOptional(value)) required.push(key);
  }
  const out: JSONSchema = { type: "object", properties, required };
  const catchall = def.catchall as Zod3Like | undefined;
  if (catchall && catchall._def.typeName !== "ZodNever") {
    out.additionalProperties = child(catchall, [...path, "*"], depth);
  } else {
    out.additionalProperties = def.unknownKeys === "passthrough";
  }
  return out;
}

/** A property may be left out when its schema accepts `undefined` (optional, or a wrapper around one). */
function isOptional(value: unknown): boolean {
  if (!isZod3Schema(value)) return false;
  const typeName = value._def.typeName;
  if (typeName === "ZodOptional") return true;
  if (typeName === "ZodDefault") return false;
  const safeParse = (value as { safeParse?: (input: unknown) => { success: boolean } }).safeParse;
  return typeof safeParse === "function" ? safeParse.call(value, undefined).success : false;
}

function unsupported(path: string[], what: string): TypeError {
  const where = path.length > 0 ? ` at ${path.join(".")}` : "";
  return new TypeError(
    `Cannot describe ${what}${where} as JSON Schema from a zod 3 schema; pass \`jsonSchema\` explicitly.`,
  );
}
