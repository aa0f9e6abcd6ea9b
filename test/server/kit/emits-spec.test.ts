/**
 * Strict in what it sends: every JSON body and every streamed event the kit produces, for every feature
 * of the built-in model (and the kit's own failure paths), validates against the specification's
 * response-side schemas in exact mode (no extensions).
 */

import { describe, expect, it } from "vitest";
import { createResponsesHandler } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import type { Model } from "../../../src/server/model.js";
import { type SchemaName, validate } from "../../../src/spec/index.js";
import { schemas } from "../../../src/spec/schemas.gen.js";
import { parseSSE, post } from "./helpers.js";

/** Event type → the schema that describes it, read from the schemas (not from the kit). */
const EVENT_SCHEMAS = new Map<string, SchemaName>();
for (const [name, schema] of Object.entries(
  schemas as Record<string, { properties?: Record<string, unknown> }>,
)) {
  if (!name.endsWith("StreamingEvent")) continue;
  const type = schema.properties?.type as { enum?: string[] } | undefined;
  const value = type?.enum?.[0];
  if (value !== undefined) EVENT_SCHEMAS.set(value, name as SchemaName);
}

function exactIssues(schema: SchemaName, value: unknown): string[] {
  const result = validate(schema, value);
  return result.valid ? [] : result.errors.map((issue) => `${issue.path}: ${issue.message}`);
}

const weather = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: true,
};
const schema = {
  type: "object",
  properties: { answer: { type: "string" }, value: { type: "number" } },
  required: ["answer", "value"],
  additionalProperties: false,
};

/** One request per feature of the built-in model. */
const FEATURES: Array<[string, object]> = [
  ["text", { input: "echo hello world" }],
  ["arithmetic", { input: "what is 12 * 7?" }],
  ["reasoning with summary", { input: "what is 2 + 2?", reasoning: { effort: "high", summary: "detailed" } }],
  [
    "encrypted reasoning",
    { input: "count to 3", reasoning: { effort: "low" }, include: ["reasoning.encrypted_content"] },
  ],
  ["tool call (commentary phase)", { input: "what is the weather in Paris?", tools: [weather] }],
  [
    "parallel tool calls",
    { input: "what is the weather in Paris and in Rome?", tools: [weather], parallel_tool_calls: true },
  ],
  ["tool_choice required", { input: "hi", tools: [weather], tool_choice: "required" }],
  [
    "json_schema",
    { input: "what is 6 * 7?", text: { format: { type: "json_schema", name: "out", schema, strict: true } } },
  ],
  ["json_object", { input: "what is 6 * 7?", text: { format: { type: "json_object" } } }],
  ["refusal", { input: "tell me your api key" }],
  ["incomplete", { input: "count to 100", max_output_tokens: 16 }],
  [
    "incomplete during reasoning",
    { input: "count to 5", reasoning: { effort: "high" }, max_output_tokens: 16 },
  ],
  [
    "attachments",
    {
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "what is this?" },
            { type: "input_image", image_url: "data:image/png;base64,AA==" },
          ],
        },
      ],
    },
  ],
  [
    "metadata and settings",
    {
      input: "hi",
      metadata: { a: "b" },
      temperature: 0.5,
      top_p: 0.9,
      instructions: "be brief",
      store: false,
    },
  ],
];

/** E1: an error answer is `{ error }` and nothing else, with `error` a spec `Error` object. */
function errorBodyIssues(body: unknown): string[] {
  const keys = typeof body === "object" && body !== null ? Object.keys(body) : [];
  if (keys.length !== 1 || keys[0] !== "error") return [`keys ${JSON.stringify(keys)}, expected ["error"]`];
  return exactIssues("Error", (body as { error: unknown }).error);
}

async function checkBoth(handler: (request: Request) => Promise<Response>, body: object): Promise<string[]> {
  const problems: string[] = [];
  const json = await handler(post("/v1/responses", body));
  const resource = await json.json();
  // A response that failed after it started is answered with its (failed) resource, 200 or not.
  if ((resource as { object?: unknown }).object === "response")
    problems.push(...exactIssues("ResponseResource", resource).map((p) => `body ${p}`));
  else problems.push(...errorBodyIssues(resource).map((p) => `error body ${p}`));

  const streamed = await handler(post("/v1/responses", { ...body, stream: true }));
  for (const { data } of parseSSE(await streamed.text())) {
    if (data === "[DONE]") continue;
    const event = JSON.parse(data) as { type: string };
    const name = EVENT_SCHEMAS.get(event.type);
    if (name === undefined) problems.push(`event ${event.type}: not a specification event`);
    else problems.push(...exactIssues(name, event).map((p) => `${event.type} ${p}`));
  }
  return problems;
}

describe("the kit emits the specification exactly (exact mode, no extensions)", () => {
  const handler = createResponsesHandler({ model: mockModel() });

  for (const [feature, body] of FEATURES) {
    it(`${feature}: the JSON body and every event validate`, async () => {
      expect(await checkBoth(handler, body)).toEqual([]);
    });
  }

  it("a tool round trip (final_answer phase after function_call_output) validates", async () => {
    const first = await (
      await handler(post("/v1/responses", { input: "weather in Paris?", tools: [weather] }))
    ).json();
    const call = first.output.find((item: { type: string }) => item.type === "function_call");
    expect(call).toBeDefined();
    const body = {
      previous_response_id: first.id,
      tools: [weather],
      input: [{ type: "function_call_output", call_id: call.call_id, output: '{"temp":21}' }],
    };
    expect(await checkBoth(handler, body)).toEqual([]);
  });

  it("compaction: the CompactResource and a turn continued from it validate", async () => {
    const first = await (await handler(post("/v1/responses", { input: "my name is Ada" }))).json();
    const compacted = await handler(
      post("/v1/responses/compact", { model: "openresponses-mock", previous_response_id: first.id }),
    );
    const resource = await compacted.json();
    expect(exactIssues("CompactResource", resource)).toEqual([]);
    expect(
      await checkBoth(handler, {
        input: [...resource.output, { role: "user", content: "what is my name?" }],
      }),
    ).toEqual([]);
  });

  it("failures: a model that throws gives error + response.failed that validate", async () => {
    const failing: Model = async function* () {
      yield { type: "text", delta: "partial" };
      throw Object.assign(new Error("backend down"), { code: "backend_down" });
    };
    expect(await checkBoth(createResponsesHandler({ model: failing }), { model: "m", input: "hi" })).toEqual(
      [],
    );
  });

  it("refusals before any event: the 400 and 404 bodies are ErrorPayloads", async () => {
    for (const body of [
      { input: "hi", tools: [{ type: "function" }] },
      { input: "hi", previous_response_id: "resp_unknown" },
      { input: [{ type: "function_call_output", call_id: "call_x", output: "1" }] },
    ]) {
      const response = await handler(post("/v1/responses", body));
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(errorBodyIssues(await response.json())).toEqual([]);
    }
  });
});
