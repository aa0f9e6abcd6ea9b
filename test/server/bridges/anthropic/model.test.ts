/**
 * `anthropicModel` end to end: this package's client → the kit (served on loopback) → the bridge → a
 * fake Anthropic upstream that speaks the Messages streaming format exactly (`event:` lines named as the
 * JSON `type`). Every event the client receives validates in exact mode.
 */

import { describe, expect, it } from "vitest";
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  RateLimitError,
  ResponseStreamError,
  type ResponseStreamEvent,
} from "../../../../src/index.js";
import { anthropicModel } from "../../../../src/server/bridges/anthropic/model.js";
import { sseEvent } from "../../../support/fake-upstream.js";
import { resourceIssues } from "../harness.js";
import {
  type SseOptions,
  sseReply,
  terminal,
  useProviderHarness,
  weather,
} from "../support/provider-harness.js";
import {
  type AnthropicEvent,
  errorEvent,
  messageEnd,
  messageStart,
  ping,
  redactedThinkingBlock,
  textBlock,
  thinkingBlock,
  toolUseBlock,
} from "./events.js";

const KEY = "sk-ant-api03-test-key-0123456789abcdef";
const provider = useProviderHarness((url) => anthropicModel({ baseURL: url, apiKey: KEY }));
const { streamed, streamedFailing, lastRequest } = provider;

const stream = (events: AnthropicEvent[], extra?: SseOptions) =>
  sseReply(
    events.map((event) => sseEvent(event.type, event)),
    extra,
  );

describe("anthropicModel through the kit", () => {
  it("streams text as it arrives, with the Messages request and headers the API expects", async () => {
    provider.next = [
      stream([messageStart(), ping, ...textBlock(0, ["Hel", "lo!"]), ...messageEnd("end_turn")]),
    ];
    const events = await streamed({ model: "claude-test", input: "hi", instructions: "Be nice." });
    expect(
      events.filter((event) => event.type === "response.output_text.delta").map((event) => event.delta),
    ).toEqual(["Hel", "lo!"]);
    expect(events.at(-1)?.type).toBe("response.completed");
    expect(terminal(events).usage).toMatchObject({ input_tokens: 25, output_tokens: 15 });
    const request = lastRequest();
    expect(request.path).toBe("/v1/messages");
    expect(request.headers["x-api-key"]).toBe(KEY);
    expect(request.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toEqual({
      model: "claude-test",
      max_tokens: 8192,
      stream: true,
      system: [{ type: "text", text: "Be nice." }],
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    });
  });

  it("answers JSON requests with an exact response resource", async () => {
    provider.next = [stream([messageStart(), ...textBlock(0, ["Hi"]), ...messageEnd("end_turn")])];
    const response = await provider.rig.client.responses.create({ model: "claude-test", input: "hi" });
    expect(resourceIssues(response)).toEqual([]);
    expect(response.output_text).toBe("Hi");
  });

  it("reads an upstream that ignored stream: true and answered with the whole message", async () => {
    const message = {
      id: "msg_2",
      type: "message",
      role: "assistant",
      model: "claude-test",
      content: [{ type: "text", text: "Whole.", citations: null }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 4, output_tokens: 2 },
    };
    provider.next = [{ kind: "json", status: 200, body: message }];
    const events = await streamed({ model: "claude-test", input: "hi" });
    expect(terminal(events)).toMatchObject({
      status: "completed",
      output: [{ content: [{ text: "Whole." }] }],
    });
  });

  it("I5: thinking signatures come back byte for byte on the next turn (stored, stateless, compacted), ahead of their tool use", async () => {
    const signature = "EqQBCkYIBxgCKkB+/Zq9sig+with/odd=chars==";
    provider.next = [
      stream([
        messageStart(),
        ...thinkingBlock(0, ["The user wants ", "weather."], signature),
        ...redactedThinkingBlock(1, "RED/act+ed=="),
        ...toolUseBlock(2, "toolu_01A", "get_weather", ['{"city": ', '"Paris"}']),
        ...messageEnd("tool_use"),
      ]),
      stream([messageStart(), ...textBlock(0, ["Sunny."]), ...messageEnd("end_turn")]),
      stream([messageStart(), ...textBlock(0, ["Sunny."]), ...messageEnd("end_turn")]),
      stream([messageStart(), ...textBlock(0, ["Sunny."]), ...messageEnd("end_turn")]),
    ];
    const first = await streamed({
      model: "claude-test",
      input: "weather in Paris?",
      tools: [weather],
      reasoning: { effort: "low" },
    });
    const firstResponse = terminal(first);
    expect(firstResponse.output.map((item) => item.type)).toEqual([
      "reasoning",
      "reasoning",
      "function_call",
    ]);
    expect(lastRequest().body).toMatchObject({
      thinking: { type: "enabled", budget_tokens: 2048 },
      max_tokens: 2048 + 8192,
    });
    const call = firstResponse.output[2] as { call_id: string; arguments: string };
    expect(call).toMatchObject({ call_id: "toolu_01A", arguments: '{"city": "Paris"}' });

    const expectedAssistant = {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "The user wants weather.", signature },
        { type: "redacted_thinking", data: "RED/act+ed==" },
        { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
      ],
    };
    const output = { type: "function_call_output" as const, call_id: "toolu_01A", output: "sunny, 24C" };
    // Stateful: previous_response_id.
    await streamed({
      model: "claude-test",
      previous_response_id: firstResponse.id,
      input: [output],
      tools: [weather],
    });
    const second = lastRequest().body as { messages: unknown[] };
    expect(second.messages[1]).toEqual(expectedAssistant);
    expect(JSON.stringify(second)).toContain(JSON.stringify(signature));
    // Stateless: the client sends the output items back itself.
    await streamed({
      model: "claude-test",
      input: [{ role: "user", content: "weather in Paris?" }, ...(firstResponse.output as never[]), output],
      tools: [weather],
      store: false,
    });
    expect((lastRequest().body as { messages: unknown[] }).messages[1]).toEqual(expectedAssistant);
    // After compaction: the compacted window, then the new items; the upstream still gets the blocks.
    const compacted = await provider.rig.client.responses.compact({
      model: "claude-test",
      previous_response_id: firstResponse.id,
    });
    await streamed({
      model: "claude-test",
      input: [...(compacted.output as never[]), output],
      tools: [weather],
    });
    expect((lastRequest().body as { messages: unknown[] }).messages[1]).toEqual(expectedAssistant);
  });

  it("streams several parallel calls with their arguments in the upstream's pieces", async () => {
    provider.next = [
      stream([
        messageStart(),
        ...toolUseBlock(0, "toolu_p", "get_weather", ['{"ci', 'ty":"Paris"}']),
        ...toolUseBlock(1, "toolu_r", "get_weather", ['{"city":', '"Rome"}']),
        ...messageEnd("tool_use"),
      ]),
    ];
    const events = await streamed({ model: "claude-test", input: "Paris and Rome?", tools: [weather] });
    const deltas = events.filter((event) => event.type === "response.function_call_arguments.delta");
    expect(deltas.map((event) => [event.output_index, event.delta])).toEqual([
      [0, '{"ci'],
      [0, 'ty":"Paris"}'],
      [1, '{"city":'],
      [1, '"Rome"}'],
    ]);
    expect(terminal(events).output).toMatchObject([
      { type: "function_call", call_id: "toolu_p", arguments: '{"city":"Paris"}', status: "completed" },
      { type: "function_call", call_id: "toolu_r", arguments: '{"city":"Rome"}', status: "completed" },
    ]);
  });

  it("P5: a json_schema format goes upstream as output_config.format", async () => {
    const schema = {
      type: "object",
      properties: { answer: { type: "string" } },
      required: ["answer"],
      additionalProperties: false,
    };
    provider.next = [
      stream([messageStart(), ...textBlock(0, ['{"answer":', '"42"}']), ...messageEnd("end_turn")]),
    ];
    const response = await provider.rig.client.responses.create({
      model: "claude-test",
      input: "answer?",
      text: { format: { type: "json_schema", name: "out", schema, strict: true } },
    });
    expect(JSON.parse(response.output_text)).toEqual({ answer: "42" });
    expect(lastRequest().body).toMatchObject({ output_config: { format: { type: "json_schema", schema } } });
  });

  it("S9: max_tokens ends the response incomplete", async () => {
    provider.next = [stream([messageStart(), ...textBlock(0, ["Once upon"]), ...messageEnd("max_tokens")])];
    const events = await streamed({ model: "claude-test", input: "story", max_output_tokens: 16 });
    const response = terminal(events);
    expect(events.at(-1)?.type).toBe("response.incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.output[0]).toMatchObject({ status: "incomplete", content: [{ text: "Once upon" }] });
    expect(lastRequest().body).toMatchObject({ max_tokens: 16 });
  });

  it("a refusal stop reason reaches the client as refusal content", async () => {
    provider.next = [
      stream([
        messageStart(),
        ...messageEnd(
          "refusal",
          { output_tokens: 2 },
          { type: "refusal", category: "cyber", explanation: "I can't help with that." },
        ),
      ]),
    ];
    const events = await streamed({ model: "claude-test", input: "bad" });
    expect(terminal(events).output[0]).toMatchObject({
      type: "message",
      content: [{ type: "refusal", refusal: "I can't help with that." }],
    });
  });

  it("refuses what Messages cannot honour with a 400 naming the field, before any upstream call", async () => {
    const before = provider.fake.requests.length;
    const error = await provider.rig.client.responses
      .create({ model: "claude-test", input: "hi", presence_penalty: 1 })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe("presence_penalty");
    expect((error as BadRequestError).message).toMatch(/Anthropic/);
    expect(provider.fake.requests.length).toBe(before);
  });

  it("E2: upstream 401, 429 and 500 become auth, rate-limit and 502 errors, the key never quoted", async () => {
    const body = (type: string, message: string) => ({
      type: "error",
      error: { type, message },
      request_id: "req_1",
    });
    provider.next = [
      { kind: "json", status: 401, body: body("authentication_error", `invalid x-api-key ${KEY}`) },
      {
        kind: "json",
        status: 429,
        body: body("rate_limit_error", "slow down"),
        headers: { "retry-after": "7" },
      },
      { kind: "json", status: 500, body: body("api_error", "Internal server error") },
    ];
    const auth = await provider.rig.client.responses
      .create({ model: "claude-test", input: "hi" })
      .catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect((auth as APIError).status).toBe(401);
    expect((auth as APIError).message).not.toContain(KEY);
    const limited = await provider.rig.client.responses
      .create({ model: "claude-test", input: "hi" })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as APIError).headers["retry-after"]).toBe("7");
    const broken = await provider.rig.client.responses
      .create({ model: "claude-test", input: "hi" })
      .catch((e: unknown) => e);
    expect((broken as APIError).status).toBe(502);
    expect((broken as APIError).message).toMatch(/Internal server error/);
  });

  it("S8: a stream cut mid-way ends in error and response.failed, keeping what streamed", async () => {
    provider.next = [
      stream([messageStart(), ...textBlock(0, ["partial ", "answer"]).slice(0, 3)], {
        after: "cut",
        delayMs: 20,
      }),
    ];
    const { events, error: thrown } = await streamedFailing({ model: "claude-test", input: "hi" });
    expect(thrown).toBeInstanceOf(ResponseStreamError);
    expect(events.map((event) => event.type).slice(-2)).toEqual(["error", "response.failed"]);
    expect(terminal(events).output[0]).toMatchObject({ content: [{ text: "partial answer" }] });
  });

  it("an error event before anything streamed is the HTTP answer (502), and background is refused", async () => {
    provider.next = [stream([errorEvent("overloaded_error", "Overloaded")])];
    const overloaded = await provider.rig.client.responses
      .create({ model: "claude-test", input: "hi" })
      .catch((e: unknown) => e);
    expect((overloaded as APIError).status).toBe(502);
    expect((overloaded as APIError).message).toMatch(/Overloaded/);
    const background = await provider.rig.client.responses
      .create({ model: "claude-test", input: "hi", background: true })
      .catch((e: unknown) => e);
    expect(background).toBeInstanceOf(BadRequestError);
    expect((background as APIError).param).toBe("background");
  });

  it("S8: an error event mid-stream ends in error and response.failed", async () => {
    provider.next = [
      stream([
        messageStart(),
        ...textBlock(0, ["so far"]).slice(0, 2),
        errorEvent("overloaded_error", "Overloaded"),
      ]),
    ];
    const { events, error: thrown } = await streamedFailing({ model: "claude-test", input: "hi" });
    expect(thrown).toBeInstanceOf(ResponseStreamError);
    const error = events.at(-2) as Extract<ResponseStreamEvent, { type: "error" }>;
    expect(error.type).toBe("error");
    expect(error.error.message).toMatch(/Overloaded/);
    expect(terminal(events).status).toBe("failed");
  });

  it("a client that leaves mid-stream aborts the upstream request", async () => {
    const aborts = provider.fake.aborts;
    provider.next = [stream([messageStart(), ...textBlock(0, ["first"]).slice(0, 2)], { after: "hold" })];
    const response = provider.rig.client.responses.stream({ model: "claude-test", input: "hi" });
    for await (const event of response) {
      if (event.type === "response.output_text.delta") break;
    }
    await provider.fake.waitForAborts(aborts + 1);
  });
});
