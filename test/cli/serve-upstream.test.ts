/**
 * `openresponses serve --upstream chat:URL` in front of a fake Chat Completions server (exact wire
 * format), driven by real clients: this package's client (HTTP and WebSocket), the `openai` SDK and the
 * AI SDK's `@ai-sdk/open-responses`; then `openresponses check`, HTTP and WebSocket, finds nothing to
 * fail. Also the flags' usage errors, and `chat --upstream` (in process, no server).
 */

import { createOpenResponses } from "@ai-sdk/open-responses";
import { generateText, stepCountIs, streamText, tool } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { OpenResponses } from "../../src/client/index.js";
import {
  AuthenticationError,
  InternalServerError,
  RateLimitError,
  ResponseStreamError,
} from "../../src/errors.js";
import { chatStream, chunk } from "../server/bridges/fake-chat.js";
import { fakeChatModel } from "../server/bridges/fake-chat-model.js";
import { type FakeReply, type FakeUpstream, sseData, startFakeUpstream } from "../support/fake-upstream.js";
import { expectEveryScenarioPasses } from "./check/support.js";
import { runInProcess, type ServeRun, startServe, stopServe } from "./in-process.js";

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const KEY = "sk-serve-upstream-secret-42";
let fake: FakeUpstream;
/** Replies for the next requests, in order; the fake model answers when none is queued. */
const queued: FakeReply[] = [];
let server: ServeRun;
let baseURL = "";

beforeAll(async () => {
  fake = await startFakeUpstream((request) => queued.shift() ?? fakeChatModel(request));
  server = await startServe(["--upstream", `chat:${fake.url}/v1`], {
    OPENRESPONSES_UPSTREAM_API_KEY: KEY,
  });
  baseURL = server.baseURL;
});
afterAll(async () => {
  // The key never reaches the log, whatever failed.
  await stopServe(server, KEY);
  await fake.close();
});

const client = () => new OpenResponses({ baseURL, apiKey: "caller-key", maxRetries: 0, strict: true });
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

describe("serve --upstream chat: with this package's client (strict protocol checking)", () => {
  it("says what it serves; the upstream gets the key from OPENRESPONSES_UPSTREAM_API_KEY", async () => {
    expect(server.output()).toContain(`Serving the Chat Completions upstream at ${fake.url}/v1`);
    const response = await client().responses.create({ model: "qwen3", input: "hello there" });
    expect(response.output_text).toBe("You said: hello there");
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("streams text and reasoning as it arrives", async () => {
    const stream = client().responses.stream({
      model: "qwen3",
      input: "think",
      reasoning: { effort: "low" },
    });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.length).toBeGreaterThan(1);
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
  });

  it("two parallel tool calls with arguments in pieces, then the tool results, over two turns", async () => {
    const first = await client().responses.create({
      model: "qwen3",
      input: "weather in Paris and Rome?",
      tools: [weather],
    });
    const calls = first.output.filter((item) => item.type === "function_call");
    expect(calls.map((call) => call.type === "function_call" && call.arguments)).toEqual([
      '{"city":"Paris"}',
      '{"city":"Rome"}',
    ]);
    const second = await client().responses.create({
      model: "qwen3",
      previous_response_id: first.id,
      tools: [weather],
      input: calls.map((call) => ({
        type: "function_call_output" as const,
        call_id: call.type === "function_call" ? call.call_id : "",
        output: "sunny",
      })),
    });
    expect(second.output_text).toBe("It is 18 °C and clear in Paris.");
  });

  it("structured output, and a length cut-off as incomplete", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    };
    const structured = await client().responses.create({
      model: "qwen3",
      input: "largest city of Japan",
      text: { format: { type: "json_schema", name: "city", schema, strict: true } },
    });
    expect(JSON.parse(structured.output_text)).toEqual({ city: "Tokyo" });
    const cut = await client().responses.create({
      model: "qwen3",
      input: "a long story",
      max_output_tokens: 16,
    });
    expect(cut.status).toBe("incomplete");
    expect(cut.incomplete_details?.reason).toBe("max_output_tokens");
  });

  it("a refusal", async () => {
    queued.push(chatStream([chunk({ refusal: "I can't help with that." })]));
    const response = await client().responses.create({ model: "qwen3", input: "x" });
    expect(response.output[0]).toMatchObject({
      content: [{ type: "refusal", refusal: "I can't help with that." }],
    });
  });

  it("E2: upstream 401, 429 and 500 reach the client as AuthenticationError, RateLimitError, 502", async () => {
    queued.push(
      {
        kind: "json",
        status: 401,
        body: { error: { message: "Incorrect API key provided", code: "invalid_api_key" } },
      },
      {
        kind: "json",
        status: 429,
        body: { error: { message: "Rate limit reached" } },
        headers: { "retry-after": "1" },
      },
      { kind: "json", status: 500, body: { error: { message: "engine crashed" } } },
    );
    await expect(client().responses.create({ model: "m", input: "x" })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await expect(client().responses.create({ model: "m", input: "x" })).rejects.toBeInstanceOf(
      RateLimitError,
    );
    const failure = client().responses.create({ model: "m", input: "x" });
    await expect(failure).rejects.toBeInstanceOf(InternalServerError);
    await expect(failure).rejects.toMatchObject({ status: 502 });
  });

  it("S8: an upstream stream cut mid-way ends the client's stream failed, with the partial text", async () => {
    queued.push({ kind: "sse", chunks: [sseData(chunk({ content: "Partial" }))], delayMs: 50, after: "cut" });
    const error = await client()
      .responses.stream({ model: "m", input: "x" })
      .finalResponse()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect((error as ResponseStreamError).message).toContain("broke off");
    const partial = (error as ResponseStreamError).partialResponse;
    expect(partial?.status).toBe("failed");
    expect(JSON.stringify(partial?.output)).toContain("Partial");
  });

  it("a client that leaves mid-stream: the upstream request is aborted", async () => {
    queued.push({ kind: "sse", chunks: [sseData(chunk({ content: "Hello" }))], after: "hold" });
    const before = fake.aborts;
    const stream = client().responses.stream({ model: "m", input: "x" });
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") break;
    }
    await fake.waitForAborts(before + 1);
  });

  it("W1–W4: WebSocket mode in front of the bridge, with a store: false continuation", async () => {
    const session = await client().responses.connect();
    try {
      const first = await session.create({ model: "m", input: "one", store: false }).finalResponse();
      expect(first.output_text).toBe("You said: one");
      const second = await session
        .create({ model: "m", input: "two", store: false, previous_response_id: first.id })
        .finalResponse();
      expect(second.output_text).toBe("You said: two");
      expect((fake.requests.at(-1)?.body as { messages?: unknown[] } | undefined)?.messages).toHaveLength(3);
    } finally {
      await session.close();
    }
  });
});

describe("serve --upstream chat: with the openai SDK", () => {
  const openai = () => new OpenAI({ baseURL, apiKey: "caller-key", maxRetries: 0 });

  it("responses.create and responses.stream", async () => {
    const created = await openai().responses.create({ model: "qwen3", input: "sdk hello" });
    expect(created.output_text).toBe("You said: sdk hello");
    const stream = openai().responses.stream({
      model: "qwen3",
      input: "weather in Paris?",
      tools: [weather],
    });
    const final = await stream.finalResponse();
    expect(final.output[0]).toMatchObject({
      type: "function_call",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
    });
  });

  it("an upstream 429 is the SDK's RateLimitError (status 429)", async () => {
    queued.push({ kind: "json", status: 429, body: { error: { message: "slow down" } } });
    await expect(openai().responses.create({ model: "m", input: "x" })).rejects.toMatchObject({
      status: 429,
    });
  });
});

describe("serve --upstream chat: with the AI SDK (@ai-sdk/open-responses)", () => {
  const model = () =>
    createOpenResponses({ name: "kit", url: `${baseURL}/responses`, apiKey: "caller-key" })("qwen3");

  it("generateText", async () => {
    const result = await generateText({ model: model(), prompt: "ai sdk says hi" });
    expect(result.text).toBe("You said: ai sdk says hi");
  });

  it("streamText with a tool: the call, its result, the final text", async () => {
    const result = streamText({
      model: model(),
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
    const steps = await result.steps;
    expect(steps[0]?.toolCalls.map((call) => call.input)).toEqual([{ city: "Paris" }]);
  });
});

describe("openresponses check against serve --upstream chat:", () => {
  it("every scenario, HTTP and WebSocket (compaction and W1–W9 included), passes", async () => {
    await expectEveryScenarioPasses(baseURL, "qwen3");
  });
});

describe("serve --upstream: flags", () => {
  const usage = async (args: string[], env: Record<string, string> = {}) => {
    const result = await runInProcess(["serve", "--port", "0", ...args], { env }).done;
    expect(result.code).toBe(2);
    return result.stderr;
  };

  it("bad kinds, missing URLs and unset key variables are one clear usage line", async () => {
    expect(await usage(["--upstream", "bogus:http://x"])).toContain(
      "kind one of chat, responses, anthropic, gemini",
    );
    expect(await usage(["--upstream", "chat"])).toContain("needs the server's base URL");
    expect(await usage(["--upstream", "chat:not a url"])).toContain("is not a URL");
    expect(await usage(["--upstream", "chat:http://x/v1", "--upstream-api-key-env", "NOPE_KEY"])).toContain(
      "NOPE_KEY",
    );
    expect(await usage(["--upstream-model", "m"])).toContain("need --upstream or --route");
    expect(await usage(["--route", "claude"])).toContain("<pattern>=<kind>:<url>");
    expect(await usage(["--upstream", "chat:http://x/v1", "--delay", "5"])).toContain("--delay");
  });

  it("--route picks an upstream by model, --upstream-model and --upstream-api-key-env apply to --upstream", async () => {
    const other = await startFakeUpstream(fakeChatModel);
    const started = await startServe(
      [
        "--route",
        `local-*=chat:${other.url}/v1`,
        "--route-api-key-env",
        "local-*=LOCAL_KEY",
        "--upstream",
        `chat:${fake.url}/v1`,
        "--upstream-model",
        "fixed-model",
        "--upstream-api-key-env",
        "MY_KEY",
      ],
      { MY_KEY: "sk-my-own-key-123456", LOCAL_KEY: "sk-local-key-654321" },
    );
    try {
      const routed = new OpenResponses({ baseURL: started.baseURL, apiKey: "k", maxRetries: 0 });
      await routed.responses.create({ model: "local-llama", input: "a" });
      expect(other.requests.at(-1)?.headers.authorization).toBe("Bearer sk-local-key-654321");
      expect((other.requests.at(-1)?.body as { model?: string } | undefined)?.model).toBe("local-llama");
      await routed.responses.create({ model: "anything", input: "b" });
      expect(fake.requests.at(-1)?.headers.authorization).toBe("Bearer sk-my-own-key-123456");
      expect((fake.requests.at(-1)?.body as { model?: string } | undefined)?.model).toBe("fixed-model");
    } finally {
      await started.stop();
      await other.close();
    }
  });

  it("only routes: an unknown model is 404 model_not_found", async () => {
    const started = await startServe(["--route", `local-*=chat:${fake.url}/v1`], {});
    try {
      const routed = new OpenResponses({ baseURL: started.baseURL, apiKey: "k", maxRetries: 0 });
      await expect(routed.responses.create({ model: "gpt-5", input: "x" })).rejects.toMatchObject({
        status: 404,
        code: "model_not_found",
      });
    } finally {
      await started.stop();
    }
  });
});

describe("chat --upstream (in process, no server)", () => {
  it("streams the provider's answer to stdout", async () => {
    const result = await runInProcess(
      ["chat", "--upstream", `chat:${fake.url}/v1`, "--model", "qwen3", "hi from chat"],
      {
        env: { OPENRESPONSES_UPSTREAM_API_KEY: KEY },
      },
    ).done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("You said: hi from chat\n");
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("an upstream 401 is one line naming the upstream and the variable to set, without the key", async () => {
    queued.push({ kind: "json", status: 401, body: { error: { message: `bad key ${KEY}` } } });
    const result = await runInProcess(["chat", "--upstream", `chat:${fake.url}/v1`, "--model", "m", "hi"], {
      env: { OPENRESPONSES_UPSTREAM_API_KEY: KEY },
    }).done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the Chat Completions upstream");
    expect(result.stderr).toContain("OPENRESPONSES_UPSTREAM_API_KEY");
    expect(result.stderr).not.toContain(KEY);
  });
});
