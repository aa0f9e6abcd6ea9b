import { describe, expectTypeOf, it } from "vitest";
import {
  type CreateResponseBody,
  OpenResponses,
  type ResponseCreateParams,
  type ResponseResult,
} from "../../src/index.js";

// The request shapes real providers take, accepted by create/stream/parse/connect without a cast; the
// exact specification types still reject them.

declare module "../../src/core/request-types.js" {
  interface ExtraRequestFields {
    acme_priority?: "low" | "high";
  }
}

const client = new OpenResponses({ baseURL: "http://127.0.0.1:1" });

describe("wide request types", () => {
  it("a message without type, as every provider and the openai SDK send it", () => {
    client.responses.create({ model: "m", input: [{ role: "user", content: "hi" }] });
    client.responses.stream({
      model: "m",
      input: [{ role: "developer", content: [{ type: "input_text", text: "x" }] }],
    });
    client.responses.parse({ model: "m", input: [{ role: "user", content: "hi" }] });
    // @ts-expect-error the exact spec type wants `type: "message"`
    const exact: CreateResponseBody = { model: "m", input: [{ role: "user", content: "hi" }] };
    void exact;
  });

  it("hosted tools, typed where their shape is known", () => {
    client.responses.create({
      model: "m",
      tools: [
        { type: "web_search" },
        { type: "web_search_preview", search_context_size: "low" },
        { type: "file_search", vector_store_ids: ["vs_1"] },
        { type: "code_interpreter", container: { type: "auto" } },
        {
          type: "mcp",
          server_label: "deepwiki",
          server_url: "https://mcp.example",
          require_approval: "never",
        },
        { type: "image_generation", quality: "high" },
        { type: "custom", name: "sql", format: { type: "grammar", syntax: "lark", definition: "start: x" } },
        { type: "shell" },
        { type: "local_shell" },
        { type: "computer_use_preview", display_width: 1024, display_height: 768, environment: "browser" },
        { type: "apply_patch" },
        { type: "function", name: "f", parameters: {} },
      ],
    });
    // @ts-expect-error a known hosted tool is checked: file_search needs vector_store_ids
    client.responses.create({ model: "m", tools: [{ type: "file_search" }] });
    // @ts-expect-error an unknown, unprefixed tool type is a typo
    client.responses.create({ model: "m", tools: [{ type: "web_serch" }] });
  });

  it("provider-prefixed items and tools (X1)", () => {
    client.responses.create({
      model: "m",
      input: [
        { type: "acme:memory", key: "k" },
        { role: "user", content: "hi" },
      ],
      tools: [{ type: "acme:search", index: "docs" }],
      tool_choice: { type: "acme:search" },
    });
  });

  it("json_object, OpenAI's extra fields, and ExtraRequestFields by declaration merging", () => {
    client.responses.create({
      model: "m",
      text: { format: { type: "json_object" } },
      prompt_cache_retention: "24h",
      conversation: "conv_1",
      acme_priority: "high",
    });
    // @ts-expect-error still typed: a wrong value of a known extra field
    client.responses.create({ model: "m", prompt_cache_retention: "forever" });
    // @ts-expect-error a typo of a top-level field is still an error
    client.responses.create({ model: "m", temprature: 0.5 });
    // The untyped one-off: the extraBody request option.
    client.responses.create({ model: "m" }, { extraBody: { anything: [1, 2] } });
  });

  it("connect() turns take the same wide body", () => {
    const socket = client.responses.connect();
    socket.create({ model: "m", input: [{ role: "user", content: "hi" }], tools: [{ type: "web_search" }] });
  });

  it("the spec's CreateResponseBody (non-streaming, or as it is) passes to create()", () => {
    const params = {} as CreateResponseBody & { stream?: false };
    expectTypeOf(client.responses.create(params)).resolves.toEqualTypeOf<ResponseResult>();
    const body = {} as CreateResponseBody;
    client.responses.create(body);
    expectTypeOf<CreateResponseBody>().toExtend<ResponseCreateParams>();
  });
});
