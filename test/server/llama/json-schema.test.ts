/**
 * JSON Schema in the grammar builder's dialect: never stricter than the schema (P5, P4 `parameters`).
 */

import { describe, expect, it } from "vitest";
import { toGrammarSchema } from "../../../src/server/llama/json-schema.js";

const ANY = {
  oneOf: [
    { type: ["string", "number", "boolean", "null"] },
    { type: "object", additionalProperties: true },
    { type: "array" },
  ],
};

describe("toGrammarSchema", () => {
  it("an empty or unknown schema is any JSON value (the builder would allow only null)", () => {
    expect(toGrammarSchema({})).toEqual(ANY);
    expect(toGrammarSchema(undefined)).toEqual(ANY);
    expect(toGrammarSchema({ allOf: [{ type: "string" }], description: "x" })).toEqual({
      ...ANY,
      description: "x",
    });
  });

  it("an object without properties is any object; with properties, only those (every one written)", () => {
    expect(toGrammarSchema({ type: "object" })).toEqual({ type: "object", additionalProperties: true });
    expect(
      toGrammarSchema({
        type: "object",
        properties: { city: { type: "string" }, n: { type: "integer" } },
        required: ["city"],
      }),
    ).toEqual({
      type: "object",
      properties: { city: { type: "string" }, n: { type: "integer" } },
      additionalProperties: false,
    });
    expect(toGrammarSchema({ properties: { a: {} }, additionalProperties: { type: "number" } })).toEqual({
      type: "object",
      properties: { a: ANY },
      additionalProperties: { type: "number" },
    });
  });

  it("anyOf is read as oneOf, definitions as $defs; a type list with object or array splits", () => {
    expect(
      toGrammarSchema({
        definitions: { point: { type: "object", properties: { x: { type: "number" } } } },
        anyOf: [{ $ref: "#/definitions/point" }, { type: "null" }],
      }),
    ).toEqual({
      oneOf: [{ $ref: "#/$defs/point" }, { type: "null" }],
      $defs: {
        point: { type: "object", properties: { x: { type: "number" } }, additionalProperties: false },
      },
    });
    expect(toGrammarSchema({ type: ["array", "null"], items: { type: "string" } })).toEqual({
      oneOf: [{ type: "array", items: { type: "string" } }, { type: "null" }],
    });
    expect(toGrammarSchema({ type: ["string", "null"] })).toEqual({ type: ["string", "null"] });
  });

  it("const, enum, string lengths and formats, array bounds are kept", () => {
    expect(toGrammarSchema({ enum: ["a", 1] })).toEqual({ enum: ["a", 1] });
    expect(toGrammarSchema({ const: "x" })).toEqual({ const: "x" });
    expect(toGrammarSchema({ type: "string", minLength: 1, maxLength: 3, pattern: "^a" })).toEqual({
      type: "string",
      minLength: 1,
      maxLength: 3,
    });
    expect(toGrammarSchema({ type: "string", format: "date" })).toEqual({ type: "string", format: "date" });
    expect(toGrammarSchema({ type: "array", items: { type: "boolean" }, minItems: 1, maxItems: 2 })).toEqual({
      type: "array",
      items: { type: "boolean" },
      minItems: 1,
      maxItems: 2,
    });
  });
});
