/**
 * The AI SDK (`ai`) against the kit, with both of its providers for this API: `@ai-sdk/openai`
 * (`openai.responses()`) and `@ai-sdk/open-responses`, on the kit's default (specification) dialect.
 * Each scenario asserts the built-in model's answer. Loopback only, dummy key.
 *
 * Reasoning: both providers show reasoning summaries (`response.reasoning_summary_text.delta`, the same
 * name in both dialects). Raw reasoning text reaches only `@ai-sdk/open-responses`, and only under
 * OpenAI's name `response.reasoning_text.delta`: that needs the kit's `dialect: "openai"`.
 */

import { createOpenResponses } from "@ai-sdk/open-responses";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, type LanguageModel, Output, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { DUMMY_KEY, type InteropKit, startKit } from "./kit.js";

// The SDK prints its warnings (unsupported settings) through console.warn unless told not to.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const kits: InteropKit[] = [];
afterAll(async () => {
  for (const kit of kits) await kit.close();
  expect(kits.flatMap((kit) => kit.errors)).toEqual([]);
});

interface Provider {
  name: string;
  /** A model whose id marks it as a reasoning model for the provider (the kit answers any id). */
  model: (kit: InteropKit) => LanguageModel;
  /** Provider options asking for reasoning and a summary of it. */
  reasoning: Record<string, Record<string, string>>;
}

const PROVIDERS: Provider[] = [
  {
    name: "@ai-sdk/openai (openai.responses())",
    model: (kit) => createOpenAI({ baseURL: kit.baseURL, apiKey: DUMMY_KEY }).responses("gpt-5"),
    reasoning: { openai: { reasoningEffort: "low", reasoningSummary: "auto" } },
  },
  {
    name: "@ai-sdk/open-responses",
    model: (kit) =>
      createOpenResponses({ name: "kit", url: `${kit.baseURL}/responses`, apiKey: DUMMY_KEY })("gpt-5"),
    // This provider reads its options under the `name` it was given.
    reasoning: { kit: { reasoningEffort: "low", reasoningSummary: "auto" } },
  },
];

const weather = tool({
  description: "The weather in a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, temp_c: city === "Paris" ? 21 : 17 }),
});

for (const provider of PROVIDERS) {
  describe(`ai + ${provider.name}`, () => {
    let kit: InteropKit;
    let model: LanguageModel;
    beforeAll(async () => {
      kit = await startKit();
      kits.push(kit);
      model = provider.model(kit);
    });

    it("generateText", async () => {
      const result = await generateText({ model, prompt: "what is 12 * 7?" });
      expect(result.text).toBe("12 * 7 = 84");
      expect(result.finishReason).toBe("stop");
    });

    it("generateText with a conversation (system + messages)", async () => {
      const result = await generateText({
        model,
        system: "answer briefly",
        messages: [
          { role: "user", content: "my name is Ada" },
          { role: "assistant", content: "Nice to meet you, Ada." },
          { role: "user", content: "what is my name?" },
        ],
      });
      expect(result.text).toBe("Your name is Ada.");
    });

    it("streamText, with a reasoning summary", async () => {
      const result = streamText({ model, prompt: "count to 5", providerOptions: provider.reasoning });
      let text = "";
      for await (const delta of result.textStream) text += delta;
      expect(text).toBe("1, 2, 3, 4, 5.");
      expect(await result.reasoningText).toBe(
        "They asked me to count from 1 to 5. So the answer is: 1, 2, 3, 4, 5.",
      );
    });

    it("a reasoning item sent back on the next turn is accepted (multi-turn after reasoning)", async () => {
      const first = await generateText({
        model,
        prompt: "my name is Ada",
        providerOptions: provider.reasoning,
      });
      const second = await generateText({
        model,
        messages: [
          ...[{ role: "user" as const, content: "my name is Ada" }],
          ...first.response.messages,
          { role: "user", content: "what is my name?" },
        ],
        providerOptions: provider.reasoning,
      });
      expect(second.text).toBe("Your name is Ada.");
    });

    it("a multi-step tool loop (the SDK runs the tool, the model answers from its result)", async () => {
      const result = await generateText({
        model,
        prompt: "what is the weather in Paris?",
        tools: { get_weather: weather },
        stopWhen: stepCountIs(4),
      });
      expect(result.steps.length).toBe(2);
      expect(result.steps[0]?.toolCalls.map((call) => [call.toolName, call.input])).toEqual([
        ["get_weather", { city: "Paris" }],
      ]);
      expect(result.text).toBe(
        "Here is what I found: get_weather (city: Paris) returned city: Paris, temp_c: 21.",
      );
    });

    it("structured output (Output.object with a zod schema)", async () => {
      const result = await generateText({
        model,
        prompt: "what is 6 * 7?",
        output: Output.object({ schema: z.object({ answer: z.string(), value: z.number() }) }),
      });
      expect(result.output).toEqual({ answer: "6 * 7 = 42", value: 42 });
    });
  });
}

describe('ai + @ai-sdk/open-responses, kit dialect "openai": raw reasoning text', () => {
  it("streamText shows the reasoning text itself (the provider reads response.reasoning_text.delta)", async () => {
    const kit = await startKit({ dialect: "openai" });
    kits.push(kit);
    const model = createOpenResponses({ name: "kit", url: `${kit.baseURL}/responses`, apiKey: DUMMY_KEY })(
      "gpt-5",
    );
    const result = streamText({
      model,
      prompt: "count to 5",
      providerOptions: { kit: { reasoningEffort: "low" } },
    });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("1, 2, 3, 4, 5.");
    expect(await result.reasoningText).toContain('The user wrote: "count to 5".');
  });
});
