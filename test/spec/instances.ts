/**
 * A small deterministic instance generator for the JSON Schema subset of openapi.json, used by the
 * conformance test. It builds a minimal instance (required properties only) and a maximal one (every
 * declared property), choosing branch `variant % n` at every union so that variants cover the branches.
 * While generating it records the places a mutation should break: each required property, and each value
 * taken from an enum, by path.
 */

export interface Schema {
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
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  "x-openresponses-disallowed"?: boolean;
  [keyword: string]: unknown;
}

export type Path = Array<string | number>;

export interface MutationSite {
  kind: "required" | "enum";
  /** For `required`: the object's path plus the property name; for `enum`: the value's path. */
  path: Path;
  /** Depth of unions above the site: a mutation under a union may legitimately match another branch. */
  underUnion: boolean;
}

export interface Generated {
  value: unknown;
  sites: MutationSite[];
}

export type Mode = "minimal" | "maximal";

export function makeGenerator(components: Record<string, Schema>) {
  const resolveRef = (ref: string): Schema => {
    const name = ref.slice(ref.lastIndexOf("/") + 1);
    const schema = components[name];
    if (!schema) throw new Error(`unknown $ref ${ref}`);
    return schema;
  };

  function generate(schema: Schema, mode: Mode, variant: number): Generated {
    const sites: MutationSite[] = [];
    const value = build(schema, mode, variant, [], false, sites, 0);
    return { value, sites };
  }

  function build(
    schema: Schema,
    mode: Mode,
    variant: number,
    path: Path,
    underUnion: boolean,
    sites: MutationSite[],
    depth: number,
  ): unknown {
    if (depth > 40) throw new Error(`schema too deep at ${path.join(".")}`);
    if (schema.$ref) return build(resolveRef(schema.$ref), mode, variant, path, underUnion, sites, depth + 1);
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) {
      sites.push({ kind: "enum", path, underUnion });
      return schema.enum[variant % schema.enum.length];
    }
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) {
      // Prefer non-null branches: a value is more interesting than null; variants still reach null.
      const ordered = [
        ...alternatives.filter((a) => a.type !== "null"),
        ...alternatives.filter((a) => a.type === "null"),
      ];
      const chosen = ordered[variant % ordered.length]!;
      return build(chosen, mode, variant, path, underUnion || alternatives.length > 1, sites, depth + 1);
    }
    if (schema.allOf) {
      const parts = schema.allOf
        .filter((part) => !isAnnotationOnly(part))
        .map((part) => build(part, mode, variant, path, underUnion, sites, depth + 1));
      if (parts.length === 1) return parts[0];
      const merged: Record<string, unknown> = Object.assign(
        {},
        ...parts.filter((p) => typeof p === "object" && p !== null),
      );
      // A field one part forbids (WebSocket `stream`) must not come in from another part.
      for (const part of schema.allOf) {
        for (const [key, sub] of Object.entries(part.properties ?? {})) {
          if (sub["x-openresponses-disallowed"]) delete merged[key];
        }
      }
      return merged;
    }
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case "string":
        return stringFor(schema, path);
      case "integer":
        return clamp(schema, 3);
      case "number":
        return clamp(schema, 0.5);
      case "boolean":
        return variant % 2 === 1;
      case "null":
        return null;
      case "array": {
        const count = Math.max(schema.minItems ?? 0, mode === "maximal" ? 1 : 0);
        const items: unknown[] = [];
        for (let i = 0; i < count; i++) {
          items.push(build(schema.items ?? {}, mode, variant, [...path, i], underUnion, sites, depth + 1));
        }
        return items;
      }
      case "object":
        return buildObject(schema, mode, variant, path, underUnion, sites, depth);
      default:
        if (schema.properties || schema.required) {
          return buildObject(schema, mode, variant, path, underUnion, sites, depth);
        }
        // An unconstrained schema ({}): any JSON value; an object is the most common real use.
        return {};
    }
  }

  function buildObject(
    schema: Schema,
    mode: Mode,
    variant: number,
    path: Path,
    underUnion: boolean,
    sites: MutationSite[],
    depth: number,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    for (const [key, sub] of Object.entries(properties)) {
      if (sub["x-openresponses-disallowed"]) continue;
      if (mode === "minimal" && !required.has(key)) continue;
      out[key] = build(sub, mode, variant, [...path, key], underUnion, sites, depth + 1);
    }
    for (const key of required) {
      // Required but undeclared in the specification (e.g. `title`): any value does.
      if (!(key in properties)) out[key] = "value";
      sites.push({ kind: "required", path: [...path, key], underUnion });
    }
    const extra = schema.additionalProperties;
    if (mode === "maximal" && typeof extra === "object" && Object.keys(properties).length === 0) {
      out.extra_key = build(extra, mode, variant, [...path, "extra_key"], underUnion, sites, depth + 1);
    }
    return out;
  }

  return { generate };
}

const ANNOTATIONS = new Set(["description", "title", "default", "example", "examples"]);

/** `{}` or a schema that only annotates: it accepts everything, so it contributes nothing to a value. */
function isAnnotationOnly(schema: Schema): boolean {
  return Object.keys(schema).every((key) => ANNOTATIONS.has(key) || key.startsWith("x-"));
}

function stringFor(schema: Schema, path: Path): string {
  const last = path[path.length - 1];
  let text = typeof last === "string" ? `${last}_value` : "text";
  if (schema.pattern && !new RegExp(schema.pattern, "u").test(text)) text = "value";
  if (schema.minLength !== undefined && text.length < schema.minLength)
    text = text.padEnd(schema.minLength, "x");
  if (schema.maxLength !== undefined && text.length > schema.maxLength)
    text = text.slice(0, schema.maxLength);
  return text;
}

function clamp(schema: Schema, preferred: number): number {
  let value = preferred;
  if (schema.minimum !== undefined && value < schema.minimum) value = schema.minimum;
  if (schema.maximum !== undefined && value > schema.maximum) value = schema.maximum;
  return value;
}

/** A deep copy with the property at `path` removed (`remove`) or replaced. */
export function mutate(value: unknown, path: Path, change: { remove: true } | { replace: unknown }): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return "replace" in change ? change.replace : undefined;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if ("replace" in change) parent[last] = change.replace;
  else delete parent[last];
  return copy;
}

export function formatPath(path: Path): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? key : `.${key}`)).join("");
}
