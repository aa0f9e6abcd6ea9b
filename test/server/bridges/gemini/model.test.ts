/**
 * `geminiModel` end to end: this package's client → the kit (served on loopback) → the bridge → a fake
 * Gemini upstream that speaks `streamGenerateContent?alt=sse` exactly (data-only SSE, each event a
 * `GenerateContentResponse`, no end marker). Every event the client receives validates in exact mode.
 */

import { describe, expect, it } from "vitest";
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  OpenResponses,
  RateLimitError,
  ResponseStreamError,
  type ResponseStreamEvent,
} from "../../../../src/index.js";
import { geminiModel } from "../../../../src/server/bridges/gemini/model.js";
import { createResponsesHandler } from "../../../../src/server/kit/handler.js";
import { inProcessFetch } from "../../../../src/server/kit/in-process-fetch.js";
import { sseData } from "../../../support/fake-upstream.js";
import { resourceIssues } from "../harness.js";
import {
  type SseOptions,
  sseReply,
  terminal,
  useProviderHarness,
  weather,
} from "../support/provider-harness.js";
import { blockedPrompt, chunk, finalChunk, type GeminiChunk } from "./chunks.js";

const KEY = "AIzaSyTestKey0123456789abcdefghijklmn";
const provider = useProviderHarness((url) => geminiModel({ baseURL: `${url}/v1beta`, apiKey: KEY }));
const { streamed, streamedFailing, lastRequest } = provider;

const stream = (chunks: GeminiChunk[], extra?: SseOptions) => sseReply(chunks.map(sseData), extra);

describe("geminiModel through the kit", () => {
  it("streams text as it arrives, with the REST request and key header the API expects", async () => {
    provider.next = [stream([chunk([{ text: "Hel" }]), chunk([{ text: "lo!" }]), finalChunk("STOP")])];
    const events = await streamed({
      model: "gemini-test",
      input: "hi",
      instructions: "Be nice.",
      temperature: 0.3,
    });
    expect(
      events.filter((event) => event.type === "response.output_text.delta").map((event) => event.delta),
    ).toEqual(["Hel", "lo!"]);
    expect(events.at(-1)?.type).toBe("response.completed");
    const request = lastRequest();
    expect(request.path).toBe("/v1beta/models/gemini-test:streamGenerateContent?alt=sse");
    expect(request.headers["x-goog-api-key"]).toBe(KEY);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
      systemInstruction: { parts: [{ text: "Be nice." }] },
      generationConfig: { temperature: 0.3 },
    });
  });

  it("answers JSON requests with an exact response resource and Gemini's usage", async () => {
    provider.next = [
      stream([
        chunk([{ text: "Hi" }]),
        finalChunk("STOP", {
          promptTokenCount: 9,
          candidatesTokenCount: 2,
          thoughtsTokenCount: 4,
          totalTokenCount: 15,
        }),
      ]),
    ];
    const response = await provider.rig.client.responses.create({ model: "gemini-test", input: "hi" });
    expect(resourceIssues(response)).toEqual([]);
    expect(response.output_text).toBe("Hi");
    expect(response.usage).toMatchObject({
      input_tokens: 9,
      output_tokens: 6,
      output_tokens_details: { reasoning_tokens: 4 },
    });
  });

  it("reads a JSON array of chunks (the answer without alt=sse)", async () => {
    provider.next = [
      {
        kind: "json",
        status: 200,
        body: [chunk([{ text: "Arr" }]), chunk([{ text: "ay" }], { finishReason: "STOP" })],
      },
    ];
    const events = await streamed({ model: "gemini-test", input: "hi" });
    expect(terminal(events)).toMatchObject({
      status: "completed",
      output: [{ content: [{ text: "Array" }] }],
    });
  });

  it("I5: thought signatures come back byte for byte on the parts they came from (stored, stateless, compacted)", async () => {
    provider.next = [
      stream([
        chunk([{ text: "Need the weather.", thought: true, thoughtSignature: "VGhvdWdodA+/=" }]),
        chunk([
          {
            functionCall: { name: "get_weather", args: { city: "Paris" } },
            thoughtSignature: "RnVuY3Rpb24+/==",
          },
          { functionCall: { name: "get_weather", args: { city: "Rome" } } },
        ]),
        finalChunk("STOP"),
      ]),
      stream([chunk([{ text: "Both sunny." }]), finalChunk("STOP")]),
      stream([chunk([{ text: "Both sunny." }]), finalChunk("STOP")]),
      stream([chunk([{ text: "Both sunny." }]), finalChunk("STOP")]),
    ];
    const first = terminal(
      await streamed({
        model: "gemini-test",
        input: "Paris and Rome?",
        tools: [weather],
        reasoning: { effort: "medium" },
      }),
    );
    expect(first.output.map((item) => item.type)).toEqual([
      "reasoning",
      "reasoning",
      "function_call",
      "function_call",
    ]);
    expect(lastRequest().body).toMatchObject({
      generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 } },
    });
    const calls = first.output.filter((item) => item.type === "function_call") as Array<{ call_id: string }>;
    const outputs = calls.map((call, index) => ({
      type: "function_call_output" as const,
      call_id: call.call_id,
      output: index === 0 ? "sunny" : "sunny too",
    }));
    const expectedModelTurn = {
      role: "model",
      parts: [
        { text: "Need the weather.", thought: true, thoughtSignature: "VGhvdWdodA+/=" },
        {
          functionCall: { name: "get_weather", args: { city: "Paris" } },
          thoughtSignature: "RnVuY3Rpb24+/==",
        },
        { functionCall: { name: "get_weather", args: { city: "Rome" } } },
      ],
    };
    const expectedResults = {
      role: "user",
      parts: [
        { functionResponse: { name: "get_weather", response: { output: "sunny" } } },
        { functionResponse: { name: "get_weather", response: { output: "sunny too" } } },
      ],
    };
    await streamed({
      model: "gemini-test",
      previous_response_id: first.id,
      input: outputs,
      tools: [weather],
    });
    const second = lastRequest().body as { contents: unknown[] };
    expect(second.contents.slice(1)).toEqual([expectedModelTurn, expectedResults]);
    await streamed({
      model: "gemini-test",
      input: [{ role: "user", content: "Paris and Rome?" }, ...(first.output as never[]), ...outputs],
      tools: [weather],
      store: false,
    });
    expect((lastRequest().body as { contents: unknown[] }).contents.slice(1)).toEqual([
      expectedModelTurn,
      expectedResults,
    ]);
    // After compaction: the compacted window, then the new items; the upstream still gets the signatures.
    const compacted = await provider.rig.client.responses.compact({
      model: "gemini-test",
      previous_response_id: first.id,
    });
    await streamed({
      model: "gemini-test",
      input: [...(compacted.output as never[]), ...outputs],
      tools: [weather],
    });
    expect((lastRequest().body as { contents: unknown[] }).contents.slice(1)).toEqual([
      expectedModelTurn,
      expectedResults,
    ]);
  });

  it("streams several parallel calls, arriving in separate chunks", async () => {
    provider.next = [
      stream([
        chunk([{ functionCall: { id: "fc-1", name: "get_weather", args: { city: "Paris" } } }]),
        chunk([{ functionCall: { id: "fc-2", name: "get_weather", args: { city: "Rome" } } }]),
        finalChunk("STOP"),
      ]),
    ];
    const events = await streamed({
      model: "gemini-test",
      input: "Paris and Rome?",
      tools: [weather],
      tool_choice: "required",
    });
    expect(terminal(events).output).toMatchObject([
      { type: "function_call", call_id: "fc-1", arguments: '{"city":"Paris"}' },
      { type: "function_call", call_id: "fc-2", arguments: '{"city":"Rome"}' },
    ]);
    expect(events.filter((event) => event.type === "response.function_call_arguments.done")).toHaveLength(2);
    expect(lastRequest().body).toMatchObject({ toolConfig: { functionCallingConfig: { mode: "ANY" } } });
  });

  it("P5: a json_schema format goes upstream as responseJsonSchema with responseMimeType", async () => {
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
    provider.next = [
      stream([chunk([{ text: '{"answer":' }]), chunk([{ text: '"42"}' }]), finalChunk("STOP")]),
    ];
    const response = await provider.rig.client.responses.create({
      model: "gemini-test",
      input: "answer?",
      text: { format: { type: "json_schema", name: "out", schema } },
    });
    expect(JSON.parse(response.output_text)).toEqual({ answer: "42" });
    expect(lastRequest().body).toMatchObject({
      generationConfig: { responseMimeType: "application/json", responseJsonSchema: schema },
    });
  });

  it("S9: MAX_TOKENS ends the response incomplete; a safety stop ends it incomplete with content_filter", async () => {
    provider.next = [
      stream([chunk([{ text: "Once upon" }]), finalChunk("MAX_TOKENS")]),
      stream([chunk([{ text: "Well" }]), finalChunk("SAFETY")]),
      stream([blockedPrompt("PROHIBITED_CONTENT")]),
    ];
    const cut = terminal(await streamed({ model: "gemini-test", input: "story", max_output_tokens: 16 }));
    expect(cut.status).toBe("incomplete");
    expect(cut.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(cut.output[0]).toMatchObject({ status: "incomplete", content: [{ text: "Once upon" }] });
    expect(lastRequest().body).toMatchObject({ generationConfig: { maxOutputTokens: 16 } });
    const filtered = terminal(await streamed({ model: "gemini-test", input: "x" }));
    expect(filtered.incomplete_details).toEqual({ reason: "content_filter" });
    const blocked = terminal(await streamed({ model: "gemini-test", input: "y" }));
    expect(blocked.incomplete_details).toEqual({ reason: "content_filter" });
  });

  it("refuses what Gemini cannot honour with a 400 naming the field, before any upstream call", async () => {
    const before = provider.fake.requests.length;
    const error = await provider.rig.client.responses
      .create({ model: "gemini-test", input: "hi", safety_identifier: "user-1" })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe("safety_identifier");
    expect((error as BadRequestError).message).toMatch(/Gemini/);
    expect(provider.fake.requests.length).toBe(before);
  });

  it("E2: upstream 401, 429 and 500 become auth, rate-limit and 502 errors, the key never quoted", async () => {
    const body = (code: number, status: string, message: string) => ({ error: { code, message, status } });
    provider.next = [
      { kind: "json", status: 401, body: body(401, "UNAUTHENTICATED", `API key not valid: ${KEY}`) },
      {
        kind: "json",
        status: 429,
        body: body(429, "RESOURCE_EXHAUSTED", "Quota exceeded"),
        headers: { "retry-after": "30" },
      },
      { kind: "json", status: 500, body: body(500, "INTERNAL", "An internal error has occurred") },
    ];
    const auth = await provider.rig.client.responses
      .create({ model: "gemini-test", input: "hi" })
      .catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect((auth as APIError).message).not.toContain(KEY);
    const limited = await provider.rig.client.responses
      .create({ model: "gemini-test", input: "hi" })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as APIError).headers["retry-after"]).toBe("30");
    const broken = await provider.rig.client.responses
      .create({ model: "gemini-test", input: "hi" })
      .catch((e: unknown) => e);
    expect((broken as APIError).status).toBe(502);
    expect((broken as APIError).message).toMatch(/internal error/);
  });

  it("S8: a stream cut before its finish reason ends in error and response.failed, keeping what streamed", async () => {
    provider.next = [
      stream([chunk([{ text: "partial " }]), chunk([{ text: "answer" }])], { after: "cut", delayMs: 20 }),
    ];
    const { events, error: thrown } = await streamedFailing({ model: "gemini-test", input: "hi" });
    expect(thrown).toBeInstanceOf(ResponseStreamError);
    expect(events.map((event) => event.type).slice(-2)).toEqual(["error", "response.failed"]);
    expect(terminal(events).output[0]).toMatchObject({ content: [{ text: "partial answer" }] });
  });

  it("S8: an error object mid-stream ends in error and response.failed", async () => {
    provider.next = [
      stream([
        chunk([{ text: "so far" }]),
        { error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } },
      ]),
    ];
    const { events, error: thrown } = await streamedFailing({ model: "gemini-test", input: "hi" });
    expect(thrown).toBeInstanceOf(ResponseStreamError);
    const error = events.at(-2) as Extract<ResponseStreamEvent, { type: "error" }>;
    expect(error.type).toBe("error");
    expect(error.error.message).toMatch(/overloaded/);
    expect(terminal(events).status).toBe("failed");
  });

  it("a client that leaves mid-stream aborts the upstream request", async () => {
    const aborts = provider.fake.aborts;
    provider.next = [stream([chunk([{ text: "first" }])], { after: "hold" })];
    const response = provider.rig.client.responses.stream({ model: "gemini-test", input: "hi" });
    for await (const event of response) {
      if (event.type === "response.output_text.delta") break;
    }
    await provider.fake.waitForAborts(aborts + 1);
  });
});

describe("geminiModel in process", () => {
  it("the client talks to Gemini with no server: the handler as its fetch", async () => {
    const handler = createResponsesHandler({
      model: geminiModel({ baseURL: `${provider.fake.url}/v1beta`, apiKey: KEY }),
    });
    const client = new OpenResponses({
      baseURL: "http://in-process/v1",
      apiKey: "unused",
      fetch: inProcessFetch(handler),
    });
    provider.next = [stream([chunk([{ text: "In process." }]), finalChunk("STOP")])];
    const response = await client.responses.create({ model: "gemini-test", input: "hi" });
    expect(response.output_text).toBe("In process.");
    expect(lastRequest().headers["x-goog-api-key"]).toBe(KEY);
  });
});
