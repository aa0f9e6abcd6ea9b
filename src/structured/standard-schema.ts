/**
 * The Standard Schema contract (https://standardschema.dev), written out structurally so that the client
 * depends on no schema library: zod 3.24+, zod 4, Valibot, ArkType and others satisfy it as they are.
 * `jsonSchema` is the companion "Standard JSON Schema" contract (zod 4.2+ implements it).
 */

/** One problem a schema found, with where it is. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** What `~standard.validate` returns. */
export type SchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<SchemaIssue> };

/** A schema that can validate a value (and, optionally, describe itself as JSON Schema). */
export interface StandardSchema<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => SchemaResult<Output> | Promise<SchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    readonly jsonSchema?: {
      readonly input: (options: { readonly target: string }) => Record<string, unknown>;
      readonly output: (options: { readonly target: string }) => Record<string, unknown>;
    };
  };
}

/** The type a schema validates to (`z.infer<typeof schema>` for zod). */
export type SchemaOutput<S> = S extends { readonly "~standard": { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : unknown
  : unknown;

export function isStandardSchema(value: unknown): value is StandardSchema {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const standard = (value as { "~standard"?: unknown })["~standard"];
  return (
    typeof standard === "object" &&
    standard !== null &&
    typeof (standard as { validate?: unknown }).validate === "function"
  );
}

/** Validates `value`; the issues as one readable line when it fails. */
export async function validateWithSchema<T>(
  schema: StandardSchema<unknown, T>,
  value: unknown,
): Promise<{ ok: true; value: T } | { ok: false; issues: ReadonlyArray<SchemaIssue>; message: string }> {
  const result = await schema["~standard"].validate(value);
  if (result.issues === undefined) return { ok: true, value: (result as { value: T }).value };
  return { ok: false, issues: result.issues, message: describeIssues(result.issues) };
}

/** `city: Required; unit: Invalid enum value` — paths joined with dots. */
export function describeIssues(issues: ReadonlyArray<SchemaIssue>): string {
  if (issues.length === 0) return "the value does not match the schema";
  return issues
    .slice(0, 10)
    .map((issue) => {
      const path = (issue.path ?? [])
        .map((segment) => String(typeof segment === "object" ? segment.key : segment))
        .join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
