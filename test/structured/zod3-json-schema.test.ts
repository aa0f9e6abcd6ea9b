import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { z } from "zod3";
import { jsonSchemaOf } from "../../src/structured/index.js";

// The zod 3 reader is checked against zod 3 itself: for every sample value, the JSON Schema accepts it
// exactly when the zod schema does (ajv as the JSON Schema judge).

const ajv = new Ajv2020({ strict: false, allErrors: true });

function agrees(schema: z.ZodTypeAny, samples: unknown[]): void {
  const validate = ajv.compile(jsonSchemaOf(schema));
  for (const sample of samples) {
    expect(validate(sample), JSON.stringify(sample)).toBe(schema.safeParse(sample).success);
  }
}

describe("zod 3 → JSON Schema", () => {
  it("objects: required and optional fields, no extra keys, nesting, descriptions", () => {
    const schema = z.object({
      name: z.string().min(1).max(5).describe("who"),
      age: z.number().int().min(0).max(150).optional(),
      tags: z.array(z.string()).max(2),
      address: z.object({ city: z.string() }),
    });
    const json = jsonSchemaOf(schema) as {
      required: string[];
      properties: Record<string, { description?: string }>;
    };
    expect(json.required).toEqual(["name", "tags", "address"]);
    expect(json.properties.name?.description).toBe("who");
    // Stricter than zod (which strips unknown keys) on purpose: a model must not add keys, and strict
    // structured outputs require it.
    expect(json).toMatchObject({ additionalProperties: false });
    agrees(schema, [
      { name: "a", tags: [], address: { city: "x" } },
      { name: "abc", age: 3, tags: ["a", "b"], address: { city: "x" } },
      { name: "", tags: [], address: { city: "x" } },
      { name: "abcdef", tags: [], address: { city: "x" } },
      { name: "a", age: 1.5, tags: [], address: { city: "x" } },
      { name: "a", age: -1, tags: [], address: { city: "x" } },
      { name: "a", tags: ["a", "b", "c"], address: { city: "x" } },
      { name: "a", tags: [], address: {} },
      { tags: [], address: { city: "x" } },
    ]);
  });

  it("enums, literals, unions, nullable, records, tuples, defaults", () => {
    agrees(z.enum(["celsius", "fahrenheit"]), ["celsius", "kelvin", 1]);
    agrees(z.literal(42), [42, 43, "42"]);
    agrees(z.union([z.string(), z.number()]), ["a", 1, true, null]);
    agrees(z.string().nullable(), ["a", null, 1]);
    agrees(z.record(z.number()), [{ a: 1 }, { a: "x" }, {}]);
    agrees(z.tuple([z.string(), z.number()]), [["a", 1], ["a"], ["a", 1, 2], [1, "a"]]);
    agrees(z.object({ n: z.number().default(1) }).strict(), [{ n: 2 }, { n: "x" }]);
    agrees(
      z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("a"), a: z.string() }),
        z.object({ kind: z.literal("b"), b: z.number() }),
      ]),
      [{ kind: "a", a: "x" }, { kind: "b", b: 1 }, { kind: "a", b: 1 }, { kind: "c" }],
    );
    enum Unit {
      Celsius = "c",
      Fahrenheit = "f",
    }
    agrees(z.nativeEnum(Unit), ["c", "f", "k"]);
  });

  it("wrappers are transparent; an unsupported type names itself and asks for jsonSchema", () => {
    agrees(
      z.string().transform((s) => s.length),
      ["abc", 3],
    );
    expect(jsonSchemaOf(z.string().email())).toEqual({ type: "string", format: "email" });
    expect(() => jsonSchemaOf(z.function())).toThrow(/ZodFunction.*jsonSchema/);
    expect(() => jsonSchemaOf(z.object({ f: z.symbol() }))).toThrow(/ZodSymbol at f/);
  });
});
