/**
 * The runtime validator's own behaviour: where issues point, what they say, the typed error, and its
 * cost. Agreement with the official schema is proven separately in conformance.test.ts.
 */

import { describe, expect, it } from "vitest";
import {
  assertValid,
  type CreateResponseBody,
  isValid,
  OpenResponsesError,
  SpecValidationError,
  validate,
} from "../../src/index.js";
import { registerSecret } from "../../src/internal/redact.js";

const issuesOf = (result: ReturnType<typeof validate>) => (result.valid ? [] : result.errors);

describe("validate", () => {
  it("accepts a minimal valid request", () => {
    expect(validate("CreateResponseBody", { model: "m", input: "hi" })).toEqual({ valid: true });
  });

  it("points at the exact place of a problem, with array indexes", () => {
    const body = {
      model: "m",
      input: [
        { type: "message", role: "user", content: "fine" },
        {
          type: "message",
          role: "user",
          content: [{ type: "input_text", text: "ok" }, { type: "input_text" }],
        },
      ],
    };
    expect(issuesOf(validate("CreateResponseBody", body))).toEqual([
      { path: "input[1].content[1].text", message: "is required" },
    ]);
  });

  it("names the allowed values when the discriminator is wrong", () => {
    const [issue] = issuesOf(validate("ItemParam", { type: "mesage", role: "user", content: "hi" }));
    expect(issue?.path).toBe("type");
    expect(issue?.message).toMatch(/must be one of .*"message".*"function_call".*\(got "mesage"\)/);
  });

  it("names the missing discriminator", () => {
    const [issue] = issuesOf(validate("ItemParam", { role: "user", content: "hi" }));
    expect(issue).toEqual({
      path: "type",
      message: expect.stringMatching(/^is required \(one of .*"message"/),
    });
  });

  it("tells message roles apart when the role is wrong", () => {
    const [issue] = issuesOf(validate("ItemParam", { type: "message", role: "usr", content: "hi" }));
    expect(issue?.path).toBe("role");
    expect(issue?.message).toContain('"user", "system", "developer", "assistant"');
  });

  it("reports the wrong JSON type of a nullable field against its non-null shape", () => {
    expect(issuesOf(validate("CreateResponseBody", { temperature: "hot" }))).toEqual([
      { path: "temperature", message: "expected number or null, got string" },
    ]);
  });

  it("P4: reports a function name that breaks the pattern, and lengths", () => {
    const issues = issuesOf(
      validate("CreateResponseBody", {
        tools: [
          { type: "function", name: "has space" },
          { type: "function", name: "x".repeat(65) },
        ],
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(["tools[0].name", "tools[1].name"]);
    expect(issues[0]?.message).toContain("must match the pattern ^[a-zA-Z0-9_-]+$");
    expect(issues[1]?.message).toBe("must be at most 64 characters long");
  });

  it("checks bounds: minimum, maximum, minItems, maxProperties", () => {
    const issues = issuesOf(
      validate("CreateResponseBody", {
        max_output_tokens: 3,
        top_logprobs: 21,
        tool_choice: { type: "allowed_tools", tools: [] },
        metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])),
      }),
    );
    expect(issues).toEqual([
      { path: "tool_choice.tools", message: "must have at least 1 item" },
      { path: "metadata", message: "must have at most 16 properties (got 17)" },
      { path: "max_output_tokens", message: "must be >= 16 (got 3)" },
      { path: "top_logprobs", message: "must be <= 20 (got 21)" },
    ]);
  });

  it("quotes keys that are not identifiers in paths", () => {
    const issues = issuesOf(validate("MetadataParam", { "my key": 5 }));
    expect(issues).toEqual([{ path: '["my key"]', message: "expected string, got integer" }]);
  });

  it("W1: says that a forbidden WebSocket field must not be sent", () => {
    expect(
      issuesOf(validate("WebSocketResponseCreateEvent", { type: "response.create", background: false })),
    ).toEqual([{ path: "background", message: "must not be sent here" }]);
  });

  it("treats a property set to undefined as absent (a JS object, not JSON)", () => {
    expect(isValid("CreateResponseBody", { model: "m", temperature: undefined })).toBe(true);
    expect(isValid("ItemReferenceParam", { id: undefined })).toBe(false);
  });

  it("reports the root when the value is not even an object", () => {
    expect(issuesOf(validate("CreateResponseBody", "hello"))).toEqual([
      { path: "", message: "expected object, got string" },
    ]);
  });

  it("bounds the number of issues for huge invalid values", () => {
    const input = Array.from({ length: 500 }, () => ({ type: "message", role: "user" }));
    const issues = issuesOf(validate("CreateResponseBody", { input }));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.length).toBeLessThanOrEqual(50);
  });

  it("throws a TypeError for an unknown schema name (a programming error)", () => {
    expect(() => validate("NoSuchSchema" as "ItemParam", {})).toThrow(TypeError);
  });
});

describe("isValid and assertValid", () => {
  it("isValid answers without collecting issues", () => {
    expect(isValid("ResponseOutputTextDeltaStreamingEvent", { type: "response.output_text.delta" })).toBe(
      false,
    );
    expect(
      isValid("ResponseOutputTextDeltaStreamingEvent", {
        type: "response.output_text.delta",
        sequence_number: 1,
        item_id: "m",
        output_index: 0,
        content_index: 0,
        delta: "hi",
      }),
    ).toBe(true);
  });

  it("assertValid throws a SpecValidationError carrying every issue", () => {
    let caught: unknown;
    try {
      assertValid("CreateResponseBody", { model: 1, stream: "yes" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SpecValidationError);
    expect(caught).toBeInstanceOf(OpenResponsesError);
    const error = caught as SpecValidationError;
    expect(error.name).toBe("SpecValidationError");
    expect(error.schema).toBe("CreateResponseBody");
    expect(error.issues.map((issue) => issue.path)).toEqual(["model", "stream"]);
    expect(error.message).toBe(
      "Invalid CreateResponseBody: model: expected string or null, got integer; stream: expected boolean, got string",
    );
  });

  it("assertValid narrows and returns silently on valid input", () => {
    const value: unknown = { model: "m" };
    assertValid("CreateResponseBody", value);
    const body: CreateResponseBody = value;
    expect(body.model).toBe("m");
  });

  it("never puts an API key into an error message", () => {
    registerSecret("gateway-token-123456");
    const error = new SpecValidationError("ItemParam", [
      { path: "type", message: 'must be one of "message" (got "sk-abcdefghijklmnop gateway-token-123456")' },
    ]);
    expect(error.message).not.toContain("sk-abcdefghijklmnop");
    expect(error.message).not.toContain("gateway-token-123456");
    expect(error.message).toContain("[redacted]");
  });

  it("summarises long issue lists in the message and keeps them all in `issues`", () => {
    const input = Array.from({ length: 8 }, () => ({ type: "message", role: "user" }));
    const error = (() => {
      try {
        assertValid("CreateResponseBody", { input });
      } catch (caught) {
        return caught as SpecValidationError;
      }
      throw new Error("expected assertValid to throw");
    })();
    expect(error.issues).toHaveLength(8);
    expect(error.message).toMatch(/; and 3 more$/);
  });
});

describe("performance", () => {
  it("validates a large request body quickly (the server checks every request)", () => {
    const input = Array.from({ length: 2_000 }, (_, i) =>
      i % 2 === 0
        ? { type: "message", role: "user", content: [{ type: "input_text", text: `question ${i}` }] }
        : { type: "function_call_output", call_id: `call_${i}`, output: JSON.stringify({ i }) },
    );
    const body = { model: "m", input, tools: [{ type: "function", name: "lookup", parameters: {} }] };
    expect(isValid("CreateResponseBody", body)).toBe(true); // compiles the schemas once
    const started = performance.now();
    for (let round = 0; round < 20; round++) expect(isValid("CreateResponseBody", body)).toBe(true);
    const perBody = (performance.now() - started) / 20;
    // ~2,000 items per body: generous bound for a loaded 2-core machine; typically well under 5 ms.
    expect(perBody).toBeLessThan(50);
  });
});
