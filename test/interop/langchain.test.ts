/**
 * LangChain's `ChatOpenAI` (`@langchain/openai`) with `useResponsesApi: true` against the kit: invoke,
 * stream, a `bindTools` round trip, and a multi-turn conversation after a reasoning turn. Each scenario
 * asserts the built-in model's answer. Loopback only, dummy key; LangSmith tracing is not configured.
 */

import { type AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DUMMY_KEY, type InteropKit, startKit } from "./kit.js";

let kit: InteropKit;

beforeAll(async () => {
  kit = await startKit();
});
afterAll(async () => {
  await kit?.close();
  expect(kit?.errors ?? []).toEqual([]);
});

function chat(fields: Partial<ConstructorParameters<typeof ChatOpenAI>[0]> = {}): ChatOpenAI {
  return new ChatOpenAI({
    model: "gpt-4.1",
    apiKey: DUMMY_KEY,
    configuration: { baseURL: kit.baseURL },
    useResponsesApi: true,
    maxRetries: 0,
    ...fields,
  });
}

/** The text of a message's content, whether a string or a list of blocks. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: { type?: string; text?: string }) => (block?.type === "text" ? (block.text ?? "") : ""))
    .join("");
}

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

describe("@langchain/openai ChatOpenAI with useResponsesApi", () => {
  it("invoke", async () => {
    const message = await chat().invoke("what is 12 * 7?");
    expect(textOf(message.content)).toBe("12 * 7 = 84");
  });

  it("stream: the chunks add up to the answer", async () => {
    let text = "";
    let chunks = 0;
    for await (const chunk of await chat().stream("count to 5")) {
      text += textOf(chunk.content);
      chunks++;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toBe("1, 2, 3, 4, 5.");
  });

  it("bindTools round trip (its tools carry strict: null): call, ToolMessage, answer", async () => {
    const model = chat().bindTools([weatherTool]);
    const question = new HumanMessage("what is the weather in Paris?");
    const call = await model.invoke([question]);
    expect(call.tool_calls?.map((entry) => [entry.name, entry.args])).toEqual([
      ["get_weather", { city: "Paris" }],
    ]);
    const sent = kit.requests.at(-1)?.body as { tools: Array<{ strict?: unknown }> };
    expect(sent.tools[0]?.strict).toBeNull();
    const toolCall = call.tool_calls?.[0];
    const answer = await model.invoke([
      question,
      call,
      new ToolMessage({ tool_call_id: toolCall?.id ?? "", content: '{"temp_c":21}' }),
    ]);
    expect(textOf(answer.content)).toBe(
      "Here is what I found: get_weather (city: Paris) returned temp_c: 21.",
    );
  });

  it("multi-turn after reasoning: the reasoning turn's message goes back as history and is accepted", async () => {
    const model = chat({ model: "gpt-5", reasoning: { effort: "low", summary: "auto" } });
    const first = await model.invoke([new HumanMessage("my name is Ada")]);
    expect(textOf(first.content)).toContain("Ada");
    // LangChain keeps the reasoning item on the message and sends it back with the next turn.
    const reasoning = (first.additional_kwargs as { reasoning?: { type?: string } }).reasoning;
    expect(reasoning?.type).toBe("reasoning");
    const second = await model.invoke([
      new HumanMessage("my name is Ada"),
      first as AIMessage,
      new HumanMessage("what is my name?"),
    ]);
    expect(textOf(second.content)).toBe("Your name is Ada.");
    const last = kit.requests.at(-1)?.body as { input?: Array<{ type?: string }> } | undefined;
    const sentTypes = (last?.input ?? []).map((item) => item.type);
    expect(sentTypes).toContain("reasoning");
  });
});
