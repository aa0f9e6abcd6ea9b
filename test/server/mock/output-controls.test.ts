import Ajv from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMPACTION_PREFIX, mockModel } from "../../../src/server/mock/index.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";
import { ofType, runModel, textOf, user } from "./helpers.js";

describe("mockModel: reasoning (I5)", () => {
  const reasoningText = (parts: Awaited<ReturnType<typeof runModel>>) =>
    ofType(parts, "reasoning")
      .map((part) => part.delta)
      .join("");

  it("streams raw reasoning before the answer, longer for higher effort", async () => {
    const low = await runModel({ input: "what is 6 * 7", reasoning: { effort: "low" } });
    const high = await runModel({ input: "what is 6 * 7", reasoning: { effort: "high" } });
    expect(reasoningText(low)).toContain("6 * 7");
    expect(reasoningText(high).length).toBeGreaterThan(reasoningText(low).length);
    const kinds = high.map((part) => part.type);
    expect(kinds.lastIndexOf("reasoning")).toBeLessThan(kinds.indexOf("end_item"));
    expect(kinds.indexOf("end_item")).toBeLessThan(kinds.indexOf("text"));
    expect(textOf(high)).toBe("6 * 7 = 42");
    expect(ofType(low, "reasoning_summary")).toHaveLength(0);
  });

  it("adds a summary only when one is asked for", async () => {
    const parts = await runModel({
      input: "count to 2",
      reasoning: { effort: "medium", summary: "concise" },
    });
    const summary = ofType(parts, "reasoning_summary");
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.every((part) => part.summaryIndex === 0)).toBe(true);
    expect(summary.map((part) => part.delta).join("")).toBe("They asked me to count from 1 to 2.");
  });

  it("no reasoning without the reasoning option or with effort none", async () => {
    for (const body of [{ input: "hi" }, { input: "hi", reasoning: { effort: "none", summary: "auto" } }]) {
      const parts = await runModel(body);
      expect(ofType(parts, "reasoning")).toHaveLength(0);
      expect(ofType(parts, "reasoning_summary")).toHaveLength(0);
    }
  });

  it("round-trippable encrypted reasoning when include asks for it", async () => {
    const parts = await runModel({
      input: "hi",
      reasoning: { effort: "low" },
      include: ["reasoning.encrypted_content"],
    });
    expect(ofType(parts, "reasoning_encrypted")[0]?.encryptedContent).toMatch(
      /^openresponses-mock-reasoning\.v1\./,
    );
    expect(
      ofType(await runModel({ input: "hi", reasoning: { effort: "low" } }), "reasoning_encrypted"),
    ).toHaveLength(0);
  });

  it("reasons about a tool call too, and counts reasoning tokens in usage", async () => {
    const tool = {
      type: "function",
      name: "get_time",
      description: "current time",
      parameters: { type: "object" },
    };
    const parts = await runModel({ input: "what time is it?", tools: [tool], reasoning: { effort: "low" } });
    expect(ofType(parts, "reasoning").length).toBeGreaterThan(0);
    expect(ofType(parts, "function_call")[0]?.name).toBe("get_time");
    const usage = ofType(parts, "usage")[0]?.usage;
    expect(usage?.output_tokens_details?.reasoning_tokens).toBe(ofType(parts, "reasoning").length);
  });
});

describe("mockModel: max_output_tokens (S9)", () => {
  it("stops at the budget with usage then an incomplete part, last", async () => {
    const parts = await runModel({ input: "tell me what you can do", max_output_tokens: 16 });
    expect(parts.at(-1)).toEqual({ type: "incomplete", reason: "max_output_tokens" });
    expect(parts.at(-2)?.type).toBe("usage");
    expect(ofType(parts, "text")).toHaveLength(16);
    expect(ofType(parts, "usage")[0]?.usage.output_tokens).toBe(16);
  });

  it("reasoning spends the same budget", async () => {
    const parts = await runModel({
      input: "count to 100",
      max_output_tokens: 20,
      reasoning: { effort: "xhigh" },
    });
    expect(parts.at(-1)?.type).toBe("incomplete");
    expect(ofType(parts, "reasoning").length + ofType(parts, "text").length).toBe(20);
  });

  it("a budget that fits the answer completes normally", async () => {
    const parts = await runModel({ input: "echo short answer", max_output_tokens: 16 });
    expect(ofType(parts, "incomplete")).toHaveLength(0);
    expect(textOf(parts)).toBe("short answer");
  });
});

describe("mockModel: text.format (P5)", () => {
  const ajv = new Ajv({ strict: false });

  it("json_schema: the answer is valid JSON for the schema, filled from the answer", async () => {
    const schema = {
      type: "object",
      properties: {
        answer: { type: "string" },
        result: { type: "number" },
        steps: { type: "array", items: { type: "string" }, minItems: 1 },
        confidence: { type: "string", enum: ["low", "high"] },
      },
      required: ["answer", "result", "steps", "confidence"],
      additionalProperties: false,
    };
    const parts = await runModel({
      input: "What is 12 * 7?",
      text: { format: { type: "json_schema", name: "calc", schema, strict: true } },
    });
    const value = JSON.parse(textOf(parts));
    expect(ajv.validate(schema, value)).toBe(true);
    expect(value).toMatchObject({ answer: "12 * 7 = 84", result: 84, confidence: "low" });
  });

  it("json_schema: any generated object schema yields valid JSON (property)", async () => {
    const leaf = fc.oneof(
      fc.constant({ type: "string" }),
      fc.constant({ type: "integer", minimum: 0, maximum: 9 }),
      fc.constant({ type: "number" }),
      fc.constant({ type: "boolean" }),
      fc.constant({ type: "string", enum: ["x", "y"] }),
      fc.constant({ type: "array", items: { type: "string" } }),
    );
    const objectSchema = fc
      .dictionary(fc.stringMatching(/^[a-z]{1,8}$/), leaf, { minKeys: 1, maxKeys: 5 })
      .map((properties) => ({ type: "object", properties, required: Object.keys(properties) }));
    await fc.assert(
      fc.asyncProperty(objectSchema, fc.string({ maxLength: 40 }), async (schema, input) => {
        const parts = await runModel({
          input: input || "x",
          text: { format: { type: "json_schema", name: "s", schema } },
        });
        return ajv.validate(schema, JSON.parse(textOf(parts)));
      }),
      { numRuns: 60 },
    );
  });

  it("json_object: a JSON object holding the answer", async () => {
    const parts = await runModel({ input: "count to 3", text: { format: { type: "json_object" } } });
    expect(JSON.parse(textOf(parts))).toEqual({ answer: "1, 2, 3.", value: 3 });
  });
});

describe("mockModel: compaction", () => {
  const signal = new AbortController().signal;
  const compact = (input: unknown[]) =>
    mockModel().compact({ body: { model: "m" }, input, signal } as unknown as Parameters<
      ReturnType<typeof mockModel>["compact"]
    >[0]);

  it("folds the context into one recognisable compaction item", async () => {
    const output = await compact([user("my name is Ada"), user("my favourite colour is green")]);
    expect(output).toHaveLength(1);
    const item = output[0] as { type: string; id: string; encrypted_content: string };
    expect(item.type).toBe("compaction");
    expect(item.id).toMatch(/^cmp_[0-9a-f]{8}$/);
    expect(item.encrypted_content.startsWith(COMPACTION_PREFIX)).toBe(true);
    expect(item.encrypted_content).not.toContain("Ada");
  });

  it("facts are still recalled when the compaction item comes back as input", async () => {
    const output = await compact([user("my name is Ada"), user("my favourite colour is green")]);
    const name = await runModel({}, [...output, user("what is my name?")]);
    expect(textOf(name)).toBe("Your name is Ada.");
    const again = await compact([...output, user("I live in Oslo")]);
    const home = await runModel({}, [...again, user("what do you know about me?")]);
    expect(textOf(home)).toBe("Your name is Ada. Your favourite colour is green. You live in Oslo.");
    const said = await runModel({}, [...again, user("what did I say?")]);
    expect(textOf(said)).toContain('"my name is Ada"');
  });

  it("ignores compaction items that are not its own or are corrupted", async () => {
    for (const encrypted_content of [
      "gAAAAABpM0Yj-foreign",
      `${COMPACTION_PREFIX}%%%not-base64`,
      `${COMPACTION_PREFIX}e30`,
    ]) {
      const parts = await runModel({}, [
        { type: "compaction", id: "cmp_1", encrypted_content },
        user("what is my name?"),
      ]);
      expect(textOf(parts)).toContain("You haven't told me your name yet");
    }
  });
});

describe("mockModel: pacing and robustness", () => {
  it("delayMs spaces the parts out", async () => {
    const started = Date.now();
    const parts = await runModel({ input: "echo a b c d" }, undefined, {}, { delayMs: 20 });
    expect(ofType(parts, "text")).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it("unpaced, the answer is a plain iterable (no promise per part); paced, an async one with the same parts", async () => {
    const request = {
      body: { model: "m", input: "echo a b c" },
      input: [user("echo a b c")],
      responseId: "resp_x",
      signal: new AbortController().signal,
    } as unknown as ModelRequest;
    const unpaced = mockModel()(request);
    expect(typeof (unpaced as Iterable<ModelPart>)[Symbol.iterator]).toBe("function");
    expect((unpaced as Partial<AsyncIterable<ModelPart>>)[Symbol.asyncIterator]).toBeUndefined();
    const paced = mockModel({ delayMs: 1 })(request);
    expect(typeof (paced as AsyncIterable<ModelPart>)[Symbol.asyncIterator]).toBe("function");
    const pacedParts: ModelPart[] = [];
    for await (const part of paced) pacedParts.push(part);
    expect(pacedParts).toEqual([...(unpaced as Iterable<ModelPart>)]);
  });

  it("stops promptly when the request is aborted", async () => {
    const controller = new AbortController();
    const request = {
      body: { model: "m", input: "count to 50" },
      input: [user("count to 50")],
      responseId: "resp_x",
      signal: controller.signal,
    } as unknown as ModelRequest;
    const seen: string[] = [];
    const started = Date.now();
    for await (const part of mockModel({ delayMs: 50 })(request)) {
      seen.push(part.type);
      if (seen.length === 2) controller.abort();
    }
    expect(seen.filter((type) => type === "text").length).toBeLessThan(5);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("never throws on arbitrary text or malformed items (property)", async () => {
    const junkItem = fc.oneof(
      fc.string().map((text) => user(text)),
      fc.record({
        type: fc.constantFrom("message", "function_call_output", "compaction", "acme:x"),
        role: fc.anything(),
      }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(junkItem, { maxLength: 5 }), fc.anything(), async (input, tools) => {
        const parts = await runModel(
          { tools, text: { format: { type: "json_schema", schema: tools } } },
          input as never,
        );
        return parts.at(-1)?.type === "usage";
      }),
      { numRuns: 100 },
    );
  });
});
