/**
 * The OpenAI Agents SDK (`@openai/agents`) against the kit: an agent with a function tool, run streamed
 * and not, over HTTP (`OpenAIResponsesModel`) and over WebSocket (`OpenAIResponsesWSModel`). Tracing is
 * off, so nothing leaves the loopback interface. Each scenario asserts the built-in model's answer.
 */

import {
  Agent,
  OpenAIResponsesModel,
  OpenAIResponsesWSModel,
  Runner,
  setTracingDisabled,
  tool,
} from "@openai/agents";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { z } from "zod";
import { DUMMY_KEY, type InteropKit, sentTexts, startKit } from "./kit.js";

// The SDK would otherwise export traces to api.openai.com.
setTracingDisabled(true);

// The SDK's WebSocket model uses the global WebSocket with `new WebSocket(url, { headers })`, which
// Node 22 has and Node 20 lacks; `ws` (our own dependency) has that constructor, so Node 20 gets it.
const globals = globalThis as { WebSocket?: unknown };
const hadWebSocket = globals.WebSocket !== undefined;
if (!hadWebSocket) globals.WebSocket = WebSocket;

let kit: InteropKit;
let client: OpenAI;

beforeAll(async () => {
  kit = await startKit();
  client = new OpenAI({ baseURL: kit.baseURL, apiKey: DUMMY_KEY, maxRetries: 0, timeout: 10_000 });
});
afterAll(async () => {
  if (!hadWebSocket) delete globals.WebSocket;
  await kit?.close();
  expect(kit?.errors ?? []).toEqual([]);
});

const calls: string[] = [];
const getWeather = tool({
  name: "get_weather",
  description: "The weather in a city",
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    calls.push(city);
    return `sunny, 21 C in ${city}`;
  },
});

function agentWith(model: OpenAIResponsesModel): Agent {
  return new Agent({ name: "weather", instructions: "Answer briefly.", model, tools: [getWeather] });
}

const ANSWER = (city: string) =>
  `Here is what I found: get_weather (city: ${city}) returned sunny, 21 C in ${city}.`;

describe("@openai/agents over HTTP (OpenAIResponsesModel)", () => {
  const runner = () => new Runner({ tracingDisabled: true });

  it("a run with a function tool: the tool runs, the agent answers from its result", async () => {
    const result = await runner().run(
      agentWith(new OpenAIResponsesModel(client, "gpt-4.1")),
      "what is the weather in Paris?",
    );
    expect(result.finalOutput).toBe(ANSWER("Paris"));
    expect(calls).toContain("Paris");
    // Its second request sends the kit's own items back (commentary message with phase, function call
    // with status), type-less user message included.
    const bodies = kit.requests.filter((request) => request.method === "POST").map((request) => request.body);
    expect(sentTexts(bodies.at(-1))).toContain("what is the weather in Paris?");
  });

  it("the same run, streamed: text deltas, then the final output", async () => {
    const result = await runner().run(
      agentWith(new OpenAIResponsesModel(client, "gpt-4.1")),
      "what is the weather in Rome?",
      {
        stream: true,
      },
    );
    let text = "";
    for await (const delta of result.toTextStream()) text += delta;
    await result.completed;
    expect(result.finalOutput).toBe(ANSWER("Rome"));
    expect(text).toContain(ANSWER("Rome"));
  });

  it("a second turn continues from the first (previousResponseId)", async () => {
    const agent = new Agent({
      name: "memory",
      instructions: "Answer briefly.",
      model: new OpenAIResponsesModel(client, "gpt-4.1"),
    });
    const first = await runner().run(agent, "my name is Ada");
    const second = await runner().run(agent, "what is my name?", {
      previousResponseId: first.lastResponseId,
    });
    expect(second.finalOutput).toBe("Your name is Ada.");
  });
});

describe("@openai/agents over WebSocket (OpenAIResponsesWSModel)", () => {
  it("a run with a function tool, not streamed and streamed, on the kit's WebSocket mode", async () => {
    const model = new OpenAIResponsesWSModel(client, "gpt-4.1", { websocketBaseURL: kit.wsBaseURL });
    try {
      const runner = new Runner({ tracingDisabled: true });
      const result = await runner.run(agentWith(model), "what is the weather in Oslo?");
      expect(result.finalOutput).toBe(ANSWER("Oslo"));
      const streamed = await runner.run(agentWith(model), "what is the weather in Lima?", { stream: true });
      let text = "";
      for await (const delta of streamed.toTextStream()) text += delta;
      await streamed.completed;
      expect(streamed.finalOutput).toBe(ANSWER("Lima"));
      expect(text).toContain(ANSWER("Lima"));
    } finally {
      await model.close();
    }
    // The turns went over the socket, not over HTTP.
    expect(
      kit.requests.some((request) => sentTexts(request.body).includes("what is the weather in Oslo?")),
    ).toBe(false);
  });
});
