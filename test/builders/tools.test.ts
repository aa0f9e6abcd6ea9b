import { describe, expect, it } from "vitest";
import { functionTool, OpenResponsesError, SpecValidationError, validate } from "../../src/index.js";

const weatherParameters = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
  additionalProperties: false,
};

describe("functionTool (P4)", () => {
  it("builds a function tool with every field", () => {
    const tool = functionTool({
      name: "get_weather",
      description: "Current weather for a city",
      parameters: weatherParameters,
      strict: true,
    });
    expect(tool).toEqual({
      type: "function",
      name: "get_weather",
      description: "Current weather for a city",
      parameters: weatherParameters,
      strict: true,
    });
    expect(validate("FunctionToolParam", tool)).toEqual({ valid: true });
    expect(validate("CreateResponseBody", { model: "m", tools: [tool] })).toEqual({ valid: true });
  });

  it("builds a minimal tool and leaves unset fields out", () => {
    const tool = functionTool({ name: "ping" });
    expect(tool).toEqual({ type: "function", name: "ping" });
    expect(validate("FunctionToolParam", tool)).toEqual({ valid: true });
    expect(validate("FunctionToolParam", functionTool({ name: "n", parameters: null }))).toEqual({
      valid: true,
    });
  });

  it("P4: accepts names of 1 and 64 characters from the allowed set", () => {
    for (const name of ["a", "A-z_0-9", "x".repeat(64)]) {
      expect(validate("FunctionToolParam", functionTool({ name }))).toEqual({ valid: true });
    }
  });

  it("P4: rejects a bad name with a clear typed error naming the rule", () => {
    for (const name of ["", "has space", "dots.not.allowed", "x".repeat(65), "émoji"]) {
      let caught: unknown;
      try {
        functionTool({ name });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SpecValidationError);
      expect(caught).toBeInstanceOf(OpenResponsesError);
      const error = caught as SpecValidationError;
      expect(error.schema).toBe("FunctionToolParam");
      expect(error.issues[0]?.path).toBe("name");
      expect(error.message).toContain(
        "P4: a function name must match ^[a-zA-Z0-9_-]+$ and have 1-64 characters",
      );
      // The validator agrees that the name is bad.
      expect(validate("FunctionToolParam", { type: "function", name }).valid).toBe(false);
    }
  });

  it("rejects parameters that are not a JSON Schema object, and a non-boolean strict", () => {
    expect(() => functionTool({ name: "f", parameters: [] as unknown as Record<string, unknown> })).toThrow(
      /parameters: must be a JSON Schema object/,
    );
    expect(() => functionTool({ name: "f", strict: "yes" as unknown as boolean })).toThrow(
      /strict: must be a boolean/,
    );
    expect(() => functionTool({ name: "f", description: 1 as unknown as string })).toThrow(
      SpecValidationError,
    );
  });
});
