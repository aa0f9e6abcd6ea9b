/**
 * `openresponses serve --upstream anthropic:URL` and `--upstream gemini:URL` in front of fake providers
 * that speak their exact wire formats (Anthropic's named SSE events, Gemini's data-only
 * `GenerateContentResponse` chunks), driven by real clients: this package's client (strict protocol
 * checking, HTTP and WebSocket), the `openai` SDK and the AI SDK's `@ai-sdk/open-responses`; then
 * `openresponses check`, HTTP and WebSocket, finds nothing to fail.
 */

import { createOpenResponses } from "@ai-sdk/open-responses";
import { generateText, stepCountIs, streamText, tool } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { OpenResponses } from "../../src/client/index.js";
import { FAKE_SIGNATURE, fakeAnthropicModel } from "../server/bridges/anthropic/fake-model.js";
import {
  FAKE_CALL_SIGNATURE,
  FAKE_THOUGHT_SIGNATURE,
  fakeGeminiModel,
} from "../server/bridges/gemini/fake-model.js";
import {
  type FakeReply,
  type FakeUpstream,
  type RecordedRequest,
  startFakeUpstream,
} from "../support/fake-upstream.js";
import { expectEveryScenarioPasses } from "./check/support.js";
import { type ServeRun, startServe, stopServe } from "./in-process.js";

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const KEY = "sk-provider-upstream-secret-77";

interface Provider {
  kind: "anthropic" | "gemini";
  label: string;
  model: string;
  /** The base URL after `kind:`, given the fake's origin. */
  base: (origin: string) => string;
  script: (request: RecordedRequest) => FakeReply;
  keyHeader: string;
  /** The signatures the second turn must carry, as they appear in its JSON. */
  signatures: string[];
}

const PROVIDERS: Provider[] = [
  {
    kind: "anthropic",
    label: "Anthropic",
    model: "claude-test",
    base: (origin) => origin,
    script: fakeAnthropicModel,
    keyHeader: "x-api-key",
    signatures: [FAKE_SIGNATURE],
  },
  {
    kind: "gemini",
    label: "Gemini",
    model: "gemini-test",
    base: (origin) => `${origin}/v1beta`,
    script: fakeGeminiModel,
    keyHeader: "x-goog-api-key",
    signatures: [FAKE_THOUGHT_SIGNATURE, FAKE_CALL_SIGNATURE],
  },
];

const weather = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  },
  strict: true,
};

describe.each(PROVIDERS)("serve --upstream $kind:", (provider) => {
  let fake: FakeUpstream;
  let server: ServeRun;
  let baseURL = "";

  beforeAll(async () => {
    fake = await startFakeUpstream(provider.script);
    server = await startServe(["--upstream", `${provider.kind}:${provider.base(fake.url)}`], {
      OPENRESPONSES_UPSTREAM_API_KEY: KEY,
    });
    baseURL = server.baseURL;
  });
  afterAll(async () => {
    await stopServe(server, KEY);
    await fake.close();
  });

  const client = () => new OpenResponses({ baseURL, apiKey: "caller-key", maxRetries: 0, strict: true });

  it("says what it serves; the upstream gets the key in its own header", async () => {
    expect(server.output()).toContain(`Serving the ${provider.label} upstream at ${provider.base(fake.url)}`);
    const response = await client().responses.create({ model: provider.model, input: "hello there" });
    expect(response.output_text).toBe("You said: hello there");
    expect(fake.requests.at(-1)?.headers[provider.keyHeader]).toBe(KEY);
    expect(fake.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("reasoning and two parallel calls, then the results on a second turn carrying the signatures", async () => {
    const first = await client()
      .responses.stream({
        model: provider.model,
        input: "weather in Paris and Rome?",
        tools: [weather],
        reasoning: { effort: "low" },
      })
      .finalResponse();
    expect(first.output.filter((item) => item.type === "reasoning").length).toBeGreaterThan(0);
    const calls = first.output.filter((item) => item.type === "function_call");
    expect(calls.map((call) => call.type === "function_call" && call.arguments)).toEqual([
      '{"city":"Paris"}',
      '{"city":"Rome"}',
    ]);
    const second = await client().responses.create({
      model: provider.model,
      previous_response_id: first.id,
      tools: [weather],
      reasoning: { effort: "low" },
      input: calls.map((call) => ({
        type: "function_call_output" as const,
        call_id: call.type === "function_call" ? call.call_id : "",
        output: "sunny",
      })),
    });
    expect(second.output_text).toBe("It is 18 °C and clear in Paris.");
    const sent = JSON.stringify(fake.requests.at(-1)?.body);
    for (const signature of provider.signatures) expect(sent).toContain(JSON.stringify(signature));
  });

  it("structured output, and a length cut-off as incomplete", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    };
    const structured = await client().responses.create({
      model: provider.model,
      input: "largest city of Japan",
      text: { format: { type: "json_schema", name: "city", schema, strict: true } },
    });
    expect(JSON.parse(structured.output_text)).toEqual({ city: "Tokyo" });
    const cut = await client().responses.create({
      model: provider.model,
      input: "a long story",
      max_output_tokens: 16,
    });
    expect(cut.status).toBe("incomplete");
    expect(cut.incomplete_details?.reason).toBe("max_output_tokens");
  });

  it("W1–W4: WebSocket mode in front of the bridge, with a store: false continuation", async () => {
    const session = await client().responses.connect();
    try {
      const first = await session
        .create({ model: provider.model, input: "one", store: false })
        .finalResponse();
      expect(first.output_text).toBe("You said: one");
      const second = await session
        .create({ model: provider.model, input: "two", store: false, previous_response_id: first.id })
        .finalResponse();
      expect(second.output_text).toBe("You said: two");
    } finally {
      await session.close();
    }
  });

  it("the openai SDK: responses.create, and responses.stream with a tool", async () => {
    const openai = new OpenAI({ baseURL, apiKey: "caller-key", maxRetries: 0 });
    const created = await openai.responses.create({ model: provider.model, input: "sdk hello" });
    expect(created.output_text).toBe("You said: sdk hello");
    const final = await openai.responses
      .stream({ model: provider.model, input: "weather in Paris?", tools: [weather] })
      .finalResponse();
    expect(final.output.find((item) => item.type === "function_call")).toMatchObject({
      name: "get_weather",
      arguments: '{"city":"Paris"}',
    });
  });

  it("the AI SDK: generateText, and streamText with a tool, its result and the final text", async () => {
    const model = createOpenResponses({ name: "kit", url: `${baseURL}/responses`, apiKey: "caller-key" })(
      provider.model,
    );
    expect((await generateText({ model, prompt: "ai sdk says hi" })).text).toBe("You said: ai sdk says hi");
    const result = streamText({
      model,
      prompt: "weather in Paris?",
      tools: {
        get_weather: tool({
          description: "Weather for a city",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, sky: "clear" }),
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(await result.text).toBe("It is 18 °C and clear in Paris.");
    expect((await result.steps)[0]?.toolCalls.map((call) => call.input)).toEqual([{ city: "Paris" }]);
  });

  it("openresponses check: every scenario, HTTP and WebSocket, passes", async () => {
    await expectEveryScenarioPasses(baseURL, provider.model);
  });
});
