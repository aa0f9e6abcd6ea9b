import { describe, expect, it } from "vitest";
import { anthropicRequest } from "../../../../src/server/bridges/anthropic/request.js";
import { encodeProviderState } from "../../../../src/server/bridges/provider-state.js";
import type { CreateResponseBody, ItemParam } from "../../../../src/spec/index.js";
import { modelRequest } from "../context.js";
import { refusalOf, refuse } from "../refuse.js";

const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: true,
};

function map(body: CreateResponseBody, options = {}) {
  return anthropicRequest(modelRequest({ model: "claude-test", ...body }), options, refuse);
}

describe("anthropicRequest: context to messages", () => {
  it("sends instructions, system and developer text as the top-level system", () => {
    const out = map({
      instructions: "Be brief.",
      input: [
        { type: "message", role: "system", content: "You are terse." },
        { type: "message", role: "developer", content: [{ type: "input_text", text: "No emoji." }] },
        { type: "message", role: "user", content: "hi" },
      ],
    });
    expect(out.system).toEqual([
      { type: "text", text: "Be brief." },
      { type: "text", text: "You are terse." },
      { type: "text", text: "No emoji." },
    ]);
    expect(out.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
    expect(out).toMatchObject({ model: "claude-test", stream: true, max_tokens: 8192 });
  });

  it("merges adjacent items of one role into one turn, so roles alternate", () => {
    const out = map({
      input: [
        { type: "message", role: "user", content: "one" },
        { type: "message", role: "user", content: [{ type: "input_text", text: "two" }] },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "three" }] },
        { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call", call_id: "call_2", name: "get_weather", arguments: '{"city":"Rome"}' },
        { type: "function_call_output", call_id: "call_1", output: "sunny" },
        { type: "function_call_output", call_id: "call_2", output: "rain" },
        { type: "message", role: "user", content: "thanks" },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "one" },
          { type: "text", text: "two" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "three" },
          { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "sunny" },
          { type: "tool_result", tool_use_id: "call_2", content: "rain" },
          { type: "text", text: "thanks" },
        ],
      },
    ]);
  });

  it("puts tool results ahead of other user content in the same turn", () => {
    const out = map({
      input: [
        { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
        { type: "message", role: "user", content: "first" },
        { type: "function_call_output", call_id: "c", output: "done" },
      ],
    });
    expect(out.messages[1]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "c", content: "done" },
        { type: "text", text: "first" },
      ],
    });
  });

  it("maps images (data URL and URL), PDFs and text files", () => {
    const out = map({
      input: [
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=" },
            { type: "input_image", image_url: "https://example.com/cat.jpg", detail: "low" },
            { type: "input_file", file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" },
            { type: "input_file", file_data: btoa("plain words"), filename: "notes.txt" },
            { type: "input_file", file_url: "https://example.com/doc.pdf" },
          ],
        },
      ],
    });
    expect(out.messages[0]!.content).toEqual([
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
        title: "a.pdf",
      },
      {
        type: "document",
        source: { type: "text", media_type: "text/plain", data: "plain words" },
        title: "notes.txt",
      },
      { type: "document", source: { type: "url", url: "https://example.com/doc.pdf" } },
    ]);
  });

  it("sends tool results with images as content blocks", () => {
    const out = map({
      input: [
        { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
        {
          type: "function_call_output",
          call_id: "c",
          output: [
            { type: "input_text", text: "chart:" },
            { type: "input_image", image_url: "data:image/webp;base64,UklG" },
          ],
        },
      ],
    });
    expect(out.messages[1]!.content[0]).toEqual({
      type: "tool_result",
      tool_use_id: "c",
      content: [
        { type: "text", text: "chart:" },
        { type: "image", source: { type: "base64", media_type: "image/webp", data: "UklG" } },
      ],
    });
  });

  it("puts thinking and redacted thinking back byte for byte, ahead of the tool use they belong to", () => {
    const signature = "EqQBCkYIBxgCKkB+/=sig==";
    const earlier: ItemParam[] = [
      { type: "message", role: "user", content: "weather?" },
      {
        type: "reasoning",
        summary: [],
        encrypted_content: encodeProviderState("anthropic", {
          type: "thinking",
          thinking: "Let me look.",
          signature,
        }),
      },
      {
        type: "reasoning",
        summary: [],
        encrypted_content: encodeProviderState("anthropic", { type: "redacted_thinking", data: "RED+/=" }),
      },
      { type: "function_call", call_id: "toolu_1", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: "toolu_1", output: "sunny" },
    ];
    const out = map({ input: earlier });
    expect(out.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Let me look.", signature },
        { type: "redacted_thinking", data: "RED+/=" },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
      ],
    });
  });

  it("leaves out reasoning another provider made, and refuses state that was altered", () => {
    const out = map({
      input: [
        { type: "message", role: "user", content: "hi" },
        {
          type: "reasoning",
          summary: [{ type: "summary_text", text: "openai" }],
          encrypted_content: "gAAAA",
        },
        {
          type: "reasoning",
          summary: [],
          encrypted_content: encodeProviderState("gemini", { signature: "x" }),
        },
        { type: "message", role: "assistant", content: "hello" },
      ],
    });
    expect(out.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "assistant", content: [{ type: "text", text: "hello" }] },
    ]);
    const refused = refusalOf(() =>
      map({ input: [{ type: "reasoning", summary: [], encrypted_content: "anthropic.v1:{broken" }] }),
    );
    expect(refused.param).toBe("input[0].encrypted_content");
  });

  it("names items of earlier turns by previous_response_id when refusing them", () => {
    const refused = refusalOf(() =>
      anthropicRequest(
        modelRequest({ model: "m", input: "next" }, [
          {
            type: "message",
            role: "user",
            content: [{ type: "input_video", video_url: "https://x/v.mp4" }],
          } as never,
        ]),
        {},
        refuse,
      ),
    );
    expect(refused.param).toBe("previous_response_id (context item 0).content[0]");
    expect(refused.message).toMatch(/Anthropic/);
  });

  it("sanitises call ids the API would refuse, the same way on both sides", () => {
    const out = map({
      input: [
        { type: "function_call", call_id: "call.1:x", name: "f", arguments: "" },
        { type: "function_call_output", call_id: "call.1:x", output: "ok" },
      ],
    });
    expect(out.messages[0]!.content[0]).toMatchObject({ id: "call_1_x", input: {} });
    expect(out.messages[1]!.content[0]).toMatchObject({ tool_use_id: "call_1_x" });
  });
});

describe("anthropicRequest: settings", () => {
  it("maps tools, tool_choice and parallel_tool_calls", () => {
    expect(map({ input: "hi", tools: [weather] })).toMatchObject({
      tools: [
        {
          name: "get_weather",
          description: "Weather for a city",
          input_schema: weather.parameters,
          strict: true,
        },
      ],
      tool_choice: { type: "auto" },
    });
    expect(
      map({ input: "hi", tools: [weather], tool_choice: "required", parallel_tool_calls: false }).tool_choice,
    ).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
    expect(
      map({ input: "hi", tools: [weather], tool_choice: { type: "function", name: "get_weather" } })
        .tool_choice,
    ).toEqual({
      type: "any",
    });
    expect(
      refusalOf(() =>
        map({ input: "hi", tools: [weather], tool_choice: "required", reasoning: { effort: "low" } }),
      ).param,
    ).toBe("tool_choice");
    const none = map({ input: "hi", tools: [weather], tool_choice: "none" });
    expect(none.tool_choice).toEqual({ type: "none" });
    expect(none.tools?.map((tool) => tool.name)).toEqual(["get_weather"]);
  });

  it("maps reasoning.effort to a thinking budget that fits in max_tokens", () => {
    expect(map({ input: "hi", reasoning: { effort: "medium" } })).toMatchObject({
      thinking: { type: "enabled", budget_tokens: 8192 },
      max_tokens: 8192 + 8192,
    });
    expect(map({ input: "hi", reasoning: { effort: "high" }, max_output_tokens: 4000 })).toMatchObject({
      thinking: { type: "enabled", budget_tokens: 3999 },
      max_tokens: 4000,
    });
    expect(map({ input: "hi", reasoning: { effort: "none" } }).thinking).toBeUndefined();
    expect(
      map({ input: "hi", reasoning: { effort: "low" } }, { thinkingBudgets: { low: 1500 }, maxTokens: 100 }),
    ).toMatchObject({
      thinking: { budget_tokens: 1500 },
      max_tokens: 1600,
    });
    expect(map({ input: "hi", reasoning: { effort: "high" } }, { thinking: "adaptive" })).toMatchObject({
      thinking: { type: "adaptive" },
      output_config: { effort: "high" },
      max_tokens: 8192,
    });
    expect(
      refusalOf(() => map({ input: "hi", reasoning: { effort: "low" }, max_output_tokens: 1000 })).param,
    ).toBe("max_output_tokens");
  });

  it("maps a json_schema format to output_config.format, and sampling and identity settings", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
    };
    expect(
      map({
        input: "hi",
        text: { format: { type: "json_schema", name: "out", schema, strict: true } },
        temperature: 0.5,
        top_p: 0.9,
        safety_identifier: "user-1",
        service_tier: "default",
        max_output_tokens: 100,
      }),
    ).toMatchObject({
      output_config: { format: { type: "json_schema", schema } },
      temperature: 0.5,
      top_p: 0.9,
      metadata: { user_id: "user-1" },
      service_tier: "standard_only",
      max_tokens: 100,
    });
  });

  it.each([
    ["presence_penalty", { presence_penalty: 0.5 }],
    ["frequency_penalty", { frequency_penalty: 0.5 }],
    ["top_logprobs", { top_logprobs: 3 }],
    ["include", { include: ["message.output_text.logprobs"] }],
    ["truncation", { truncation: "auto" }],
    ["service_tier", { service_tier: "flex" }],
    ["prompt_cache_key", { prompt_cache_key: "k" }],
    ["text.verbosity", { text: { verbosity: "low" } }],
    ["text.format", { text: { format: { type: "json_object" } } }],
  ])("refuses %s by name, naming Anthropic", (param, extra) => {
    const refused = refusalOf(() => map({ input: "hi", ...(extra as object) }));
    expect(refused.param).toBe(param);
    expect(refused.message).toMatch(/Anthropic/);
  });

  it.each([
    [
      "input[0].content[0]",
      { type: "message", role: "user", content: [{ type: "input_video", video_url: "https://v" }] },
    ],
    [
      "input[0].content[0].image_url",
      {
        type: "message",
        role: "user",
        content: [{ type: "input_image", image_url: "data:image/bmp;base64,AA" }],
      },
    ],
    [
      "input[0].content[0]",
      { type: "message", role: "user", content: [{ type: "input_file", filename: "file-abc" }] },
    ],
    [
      "input[0].content[0].file_data",
      {
        type: "message",
        role: "user",
        content: [{ type: "input_file", file_data: "data:application/zip;base64,AA" }],
      },
    ],
    ["input[0]", { type: "compaction", encrypted_content: "opaque" }],
    ["input[0]", { type: "acme:note", text: "x" }],
    ["input[0].arguments", { type: "function_call", call_id: "c", name: "f", arguments: "[1]" }],
  ])("refuses %s when Messages has no equivalent", (param, item) => {
    expect(refusalOf(() => map({ input: [item as ItemParam] })).param).toBe(param);
  });

  it("needs a model from the request or the options", () => {
    expect(anthropicRequest(modelRequest({ input: "hi" }), { model: "claude-x" }, refuse).model).toBe(
      "claude-x",
    );
    expect(refusalOf(() => anthropicRequest(modelRequest({ input: "hi" }), {}, refuse)).param).toBe("model");
  });
});
