/**
 * The schemas the built-in model fills come from the request (a tool's `parameters`, `text.format`), so a
 * hostile or careless one must not make it allocate without bound: `openresponses serve` would die.
 */

import { describe, expect, it } from "vitest";
import { valueForSchema } from "../../../src/server/mock/schema-value.js";
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
