/**
 * The schemas the built-in model fills come from the request (a tool's `parameters`, `text.format`), so a
 * hostile or careless one must not make it allocate without bound: `openresponses serve` would die.
 */

import { describe, expect, it } from "vitest";
import { valueForSchema } from "../../../src/server/mock/schema-value.js";
import {
  BASE_VALUE_CHARS,
  JSON_CHARS_PER_TOKEN,
  MAX_VALUE_CHARS,
  VALUE_CHARS_PER_REQUEST_CHAR,
  valueLimits,
} from "../../../src/server/mock/value-budget.js";
import { ofType, runModel, textOf } from "./helpers.js";

const hints = { text: "weather in Paris" } as Parameters<typeof valueForSchema>[1];

describe("mockModel: bounded work for any schema", () => {
  it("a string with minLength 1e9 is capped instead of exhausting memory", () => {
    const started = Date.now();
    const value = valueForSchema({ type: "string", minLength: 1e9 }, hints) as string;
    expect(typeof value).toBe("string");
    expect(value.length).toBe(10_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("an array of a recursive $ref with minItems 10 stays small (no 10^depth blow-up)", () => {
    const started = Date.now();
    const value = valueForSchema({ type: "array", minItems: 10, maxItems: 10, items: { $ref: "#" } }, hints);
    expect(JSON.stringify(value).length).toBeLessThan(200_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("huge minItems/maxItems produce at most 100 items", () => {
    const value = valueForSchema(
      { type: "array", minItems: 1e9, maxItems: 1e9, items: { type: "integer" } },
      hints,
    ) as unknown[];
    expect(value).toHaveLength(100);
  });

  it("P4: a required call with hostile parameters still yields one call with JSON arguments", async () => {
    const tool = {
      type: "function",
      name: "bulk",
      parameters: {
        type: "object",
        properties: {
          rows: { type: "array", minItems: 1e9, maxItems: 1e9, items: { type: "string", minLength: 1e6 } },
        },
        required: ["rows"],
      },
    };
    const parts = await runModel({ input: "bulk it", tools: [tool], tool_choice: "required" });
    const calls = ofType(parts, "function_call");
    expect(calls).toHaveLength(1);
    const args = JSON.parse(calls[0]!.arguments) as { rows: string[] };
    expect(args.rows.length).toBeLessThanOrEqual(100);
    expect(calls[0]!.arguments.length).toBeLessThan(2_000_000);
  }, 10_000);

  it("P5: a json_schema format with a recursive array answers valid JSON quickly", async () => {
    const parts = await runModel({
      input: "hi",
      text: {
        format: {
          type: "json_schema",
          name: "tree",
          schema: { type: "array", minItems: 10, maxItems: 10, items: { $ref: "#" } },
        },
      },
    });
    expect(() => JSON.parse(textOf(parts))).not.toThrow();
  }, 10_000);
});

describe("mockModel: work and output bounded by the request's size, whatever the schema names", () => {
  const words = { text: "weather in Paris, in fahrenheit please" };
  const properties = (count: number, schema: unknown) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, schema]));

  it("1,500 properties $ref-ing one 10,000-option enum: read once, answered in well under a second", () => {
    const options = Array.from({ length: 10_000 }, (_, i) => `option_${i}`);
    const schema = {
      type: "object",
      properties: properties(1500, { $ref: "#/$defs/choice" }),
      required: Object.keys(properties(1500, 0)),
      $defs: { choice: { enum: [...options, "fahrenheit"] } },
    };
    const started = performance.now();
    const value = valueForSchema(schema, words) as Record<string, unknown>;
    expect(performance.now() - started).toBeLessThan(1000);
    // The one answer the enum gives is found once and reused for every property that names it.
    expect(value.p0).toBe("fahrenheit");
    expect(value.p1499).toBe("fahrenheit");
  });

  it("strings $ref-ing { minLength: 1e9 }: the value is at most 16 KiB plus 4 characters per request character", () => {
    const schema = {
      type: "object",
      properties: properties(200, { $ref: "#/$defs/long" }),
      required: Object.keys(properties(200, 0)),
      $defs: { long: { type: "string", minLength: 1e9 } },
    };
    const requestChars = JSON.stringify(schema).length + words.text.length;
    const out = JSON.stringify(valueForSchema(schema, words));
    expect(out.length).toBeLessThanOrEqual(BASE_VALUE_CHARS + VALUE_CHARS_PER_REQUEST_CHAR * requestChars);
    expect(() => JSON.parse(out)).not.toThrow();
  });

  it("a large const or default named many times counts every time it is used", () => {
    const big = { blob: "z".repeat(100_000) };
    const schema = {
      type: "object",
      properties: properties(500, { $ref: "#/$defs/c" }),
      required: Object.keys(properties(500, 0)),
      $defs: { c: { const: big } },
    };
    const out = JSON.stringify(valueForSchema(schema, words));
    expect(out.length).toBeLessThanOrEqual(MAX_VALUE_CHARS + 1024);
  });

  it("deep and recursive $refs, allOf of one part named 1,000 times, a long $ref path: bounded time", () => {
    const cases: unknown[] = [
      {
        type: "object",
        properties: properties(1000, { $ref: "#" }),
        required: Object.keys(properties(1000, 0)),
      },
      {
        type: "array",
        minItems: 100,
        maxItems: 100,
        items: { type: "array", minItems: 100, items: { $ref: "#" } },
      },
      {
        allOf: Array.from({ length: 1000 }, () => ({ $ref: "#/$defs/o" })),
        $defs: { o: { properties: properties(5000, { type: "integer" }) } },
      },
      { type: "object", properties: properties(3, { $ref: `#/${"a/".repeat(500_000)}` }) },
    ];
    for (const schema of cases) {
      const started = performance.now();
      const out = JSON.stringify(valueForSchema(schema, words));
      expect(performance.now() - started).toBeLessThan(1500);
      expect(out.length).toBeLessThanOrEqual(MAX_VALUE_CHARS);
    }
  });

  it("max_output_tokens bounds the value to what the response could stream", () => {
    expect(valueLimits(1_000_000, 0, 10).maxChars).toBe(11 * JSON_CHARS_PER_TOKEN);
    const schema = { type: "object", properties: properties(100, { type: "string", minLength: 5000 }) };
    const limits = valueLimits(JSON.stringify(schema).length, 10, 10);
    const out = JSON.stringify(
      valueForSchema({ ...schema, required: Object.keys(schema.properties) }, words, "", limits),
    );
    expect(out.length).toBeLessThanOrEqual(limits.maxChars + 64);
  });

  it("an enum option is mentioned only as a whole word (as \\b...\\b read it)", () => {
    const schema = { type: "object", properties: { unit: { enum: ["c", "fahr", "in fahrenheit", "-x"] } } };
    expect(valueForSchema(schema, { text: "in fahrenheit" })).toEqual({ unit: "in fahrenheit" });
    expect(valueForSchema(schema, { text: "a-x b" })).toEqual({ unit: "-x" });
    expect(valueForSchema(schema, { text: "fahrenheit" })).toEqual({});
  });
});
