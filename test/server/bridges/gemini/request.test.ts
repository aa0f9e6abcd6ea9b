import { describe, expect, it } from "vitest";
import { geminiRequest } from "../../../../src/server/bridges/gemini/request.js";
import { encodeProviderState } from "../../../../src/server/bridges/provider-state.js";
import type { CreateResponseBody, ItemParam } from "../../../../src/spec/index.js";
import { modelRequest } from "../context.js";
import { refusalOf, refuse } from "../refuse.js";

const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

function map(body: CreateResponseBody, options = {}) {
  return geminiRequest(modelRequest({ model: "gemini-test", ...body }), options, refuse);
}

const state = (value: Record<string, unknown>) => ({
  type: "reasoning" as const,
  summary: [],
  encrypted_content: encodeProviderState("gemini", value),
});

describe("geminiRequest: context to contents", () => {
  it("sends instructions, system and developer text as systemInstruction", () => {
    const { model, body } = map({
      instructions: "Be brief.",
      input: [
        { type: "message", role: "developer", content: "No emoji." },
        { type: "message", role: "user", content: "hi" },
      ],
    });
    expect(model).toBe("gemini-test");
    expect(body.systemInstruction).toEqual({ parts: [{ text: "Be brief." }, { text: "No emoji." }] });
    expect(body.contents).toEqual([{ role: "user", parts: [{ text: "hi" }] }]);
  });

  it("strips a models/ prefix from the model name", () => {
    expect(geminiRequest(modelRequest({ model: "models/gemini-x", input: "hi" }), {}, refuse).model).toBe(
      "gemini-x",
    );
  });

  it("merges adjacent turns, and resolves each function response's name from its call", () => {
    const { body } = map({
      input: [
        { type: "message", role: "user", content: "one" },
        { type: "message", role: "user", content: "two" },
        { type: "function_call", call_id: "gcall_1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call", call_id: "fc-2", name: "get_time", arguments: '{"zone":"CET"}' },
        { type: "function_call_output", call_id: "fc-2", output: "noon" },
        { type: "function_call_output", call_id: "gcall_1", output: "sunny" },
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "one" }, { text: "two" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { city: "Paris" } } },
          { functionCall: { name: "get_time", args: { zone: "CET" }, id: "fc-2" } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_time", response: { output: "noon" }, id: "fc-2" } },
          { functionResponse: { name: "get_weather", response: { output: "sunny" } } },
        ],
      },
    ]);
  });

  it("refuses a function output whose call is not in the context (Gemini needs the name)", () => {
    const refused = refusalOf(() =>
      map({ input: [{ type: "function_call_output", call_id: "lost", output: "x" }] }),
    );
    expect(refused.param).toBe("input[0].call_id");
    expect(refused.message).toMatch(/Gemini/);
  });

  it("maps images, files and video, with detail as media resolution", () => {
    const { body } = map({
      input: [
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_image", image_url: "data:image/png;base64,iVBO", detail: "low" },
            { type: "input_image", image_url: "https://example.com/cat.jpg", detail: "high" },
            { type: "input_file", file_data: "JVBERi0=", filename: "a.pdf" },
            { type: "input_file", file_url: "https://example.com/notes.txt" },
          ],
        },
      ],
    });
    expect(body.contents[0]!.parts).toEqual([
      {
        inlineData: { mimeType: "image/png", data: "iVBO" },
        mediaResolution: { level: "MEDIA_RESOLUTION_LOW" },
      },
      {
        fileData: { mimeType: "image/jpeg", fileUri: "https://example.com/cat.jpg" },
        mediaResolution: { level: "MEDIA_RESOLUTION_HIGH" },
      },
      { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } },
      { fileData: { mimeType: "text/plain", fileUri: "https://example.com/notes.txt" } },
    ]);
  });

  it("puts each thought signature back on the part it came from", () => {
    const { body } = map({
      input: [
        { type: "message", role: "user", content: "weather?" },
        state({ on: "thought", text: "Thinking hard.", signature: "c2lnLXRob3VnaHQ=" }),
        state({ on: "functionCall", signature: "c2lnLWZj" }),
        { type: "function_call", call_id: "gcall_1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call", call_id: "gcall_2", name: "get_weather", arguments: '{"city":"Rome"}' },
        { type: "function_call_output", call_id: "gcall_1", output: "sunny" },
        { type: "function_call_output", call_id: "gcall_2", output: "rain" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Sunny and rain." }] },
        state({ on: "text", signature: "c2lnLXQ=", standalone: false }),
        { type: "message", role: "user", content: "and now?" },
        { type: "message", role: "assistant", content: "Same." },
        state({ on: "text", signature: "c2ln", standalone: true }),
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "weather?" }] },
      {
        role: "model",
        parts: [
          { text: "Thinking hard.", thought: true, thoughtSignature: "c2lnLXRob3VnaHQ=" },
          { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "c2lnLWZj" },
          { functionCall: { name: "get_weather", args: { city: "Rome" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { output: "sunny" } } },
          { functionResponse: { name: "get_weather", response: { output: "rain" } } },
        ],
      },
      { role: "model", parts: [{ text: "Sunny and rain.", thoughtSignature: "c2lnLXQ=" }] },
      { role: "user", parts: [{ text: "and now?" }] },
      { role: "model", parts: [{ text: "Same." }, { text: "", thoughtSignature: "c2ln" }] },
    ]);
  });

  it("sends a function-call signature whose call is gone on an empty text part, and skips others' reasoning", () => {
    const { body } = map({
      input: [
        { type: "message", role: "user", content: "hi" },
        {
          type: "reasoning",
          summary: [],
          encrypted_content: encodeProviderState("anthropic", { type: "thinking" }),
        },
        state({ on: "functionCall", signature: "orphan" }),
        { type: "message", role: "user", content: "again" },
      ],
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "hi" }] },
      { role: "model", parts: [{ text: "", thoughtSignature: "orphan" }] },
      { role: "user", parts: [{ text: "again" }] },
    ]);
  });

  it("sends function results with inline media as functionResponse parts", () => {
    const { body } = map({
      input: [
        { type: "function_call", call_id: "c", name: "chart", arguments: "{}" },
        {
          type: "function_call_output",
          call_id: "c",
          output: [
            { type: "input_text", text: "see:" },
            { type: "input_image", image_url: "data:image/png;base64,AA" },
          ],
        },
      ],
    });
    expect(body.contents[1]!.parts[0]).toEqual({
      functionResponse: {
        name: "chart",
        id: "c",
        response: { output: "see:" },
        parts: [{ inlineData: { mimeType: "image/png", data: "AA" } }],
      },
    });
  });
});

describe("geminiRequest: settings", () => {
  it("maps tools and tool_choice to functionDeclarations and functionCallingConfig", () => {
    expect(map({ input: "hi", tools: [weather] }).body).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            {
              name: "get_weather",
              description: "Weather for a city",
              parametersJsonSchema: weather.parameters,
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: "AUTO" } },
    });
    expect(map({ input: "hi", tools: [{ ...weather, strict: true }] }).body.toolConfig).toEqual({
      functionCallingConfig: { mode: "VALIDATED" },
    });
    expect(map({ input: "hi", tools: [weather], tool_choice: "required" }).body.toolConfig).toEqual({
      functionCallingConfig: { mode: "ANY" },
    });
    const none = map({ input: "hi", tools: [weather], tool_choice: "none" }).body;
    expect(none.toolConfig).toEqual({ functionCallingConfig: { mode: "NONE" } });
    expect(none.tools?.[0]?.functionDeclarations).toHaveLength(1);
  });

  it("maps sampling, limits and structured output to generationConfig", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
    expect(
      map({
        input: "hi",
        max_output_tokens: 300,
        temperature: 0.2,
        top_p: 0.8,
        presence_penalty: 0.1,
        frequency_penalty: 0.3,
        text: { format: { type: "json_schema", name: "out", schema } },
      }).body.generationConfig,
    ).toEqual({
      maxOutputTokens: 300,
      temperature: 0.2,
      topP: 0.8,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      responseMimeType: "application/json",
      responseJsonSchema: schema,
    });
    expect(
      map({ input: "hi", text: { format: { type: "json_object" } } as never }).body.generationConfig,
    ).toEqual({
      responseMimeType: "application/json",
    });
  });

  it("maps reasoning.effort to a thinking budget (or level) and asks to see the thoughts", () => {
    expect(map({ input: "hi", reasoning: { effort: "medium" } }).body.generationConfig).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 },
    });
    expect(map({ input: "hi", reasoning: { effort: "none" } }).body.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 0 },
    });
    expect(map({ input: "hi", reasoning: { summary: "auto" } }).body.generationConfig).toEqual({
      thinkingConfig: { includeThoughts: true },
    });
    expect(
      map({ input: "hi", reasoning: { effort: "high" } }, { thinking: "level" }).body.generationConfig,
    ).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingLevel: "HIGH" },
    });
    expect(
      map({ input: "hi", reasoning: { effort: "low" } }, { thinkingBudgets: { low: 512 } }).body
        .generationConfig,
    ).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingBudget: 512 },
    });
    expect(map({ input: "hi" }).body.generationConfig).toBeUndefined();
  });

  it.each([
    ["top_logprobs", { top_logprobs: 2 }],
    ["include", { include: ["message.output_text.logprobs"] }],
    ["truncation", { truncation: "auto" }],
    ["service_tier", { service_tier: "priority" }],
    ["prompt_cache_key", { prompt_cache_key: "k" }],
    ["safety_identifier", { safety_identifier: "u" }],
    ["text.verbosity", { text: { verbosity: "high" } }],
  ])("refuses %s by name, naming Gemini", (param, extra) => {
    const refused = refusalOf(() => map({ input: "hi", ...(extra as object) }));
    expect(refused.param).toBe(param);
    expect(refused.message).toMatch(/Gemini/);
  });

  it.each([
    [
      "input[0].content[0].image_url",
      { type: "message", role: "user", content: [{ type: "input_image", image_url: "https://x/noext" }] },
    ],
    [
      "input[0].content[0]",
      { type: "message", role: "user", content: [{ type: "input_file", filename: "file-1" }] },
    ],
    [
      "input[0].content[0].file_data",
      { type: "message", role: "user", content: [{ type: "input_file", file_data: "AAAA" }] },
    ],
    ["input[0]", { type: "compaction", encrypted_content: "opaque" }],
    ["input[0].encrypted_content", { type: "reasoning", summary: [], encrypted_content: "gemini.v1:{}" }],
    ["input[0].arguments", { type: "function_call", call_id: "c", name: "f", arguments: "nope" }],
  ])("refuses %s when Gemini has no equivalent", (param, item) => {
    expect(refusalOf(() => map({ input: [item as ItemParam] })).param).toBe(param);
  });
});
