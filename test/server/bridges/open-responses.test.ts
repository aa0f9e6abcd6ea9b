/**
 * `openResponsesModel` in front of a fake stateless Open Responses server: the full context goes up
 * each turn with `store: false` and no ids, and a sloppy stream (no `event:` lines, no `.done` events,
 * no sequence numbers, no `[DONE]`, reasoning under OpenAI's event names) comes back out of the kit
 * exactly as the specification says.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openResponsesModel } from "../../../src/server/bridges/open-responses.js";
import type { FunctionCall, ReasoningBody } from "../../../src/spec/index.js";
import {
  type FakeReply,
  type FakeUpstream,
  sseData,
  sseEvent,
  startFakeUpstream,
} from "../../support/fake-upstream.js";
import { bridgeHandler, type Handler, jsonTurn, outputText, streamTurn } from "./helpers.js";

let fake: FakeUpstream;
let replies: FakeReply[] = [];
let handler: Handler;

beforeAll(async () => {
  fake = await startFakeUpstream(
    () => replies.shift() ?? { kind: "json", status: 500, body: { error: "no reply" } },
  );
  handler = bridgeHandler(
    openResponsesModel({ baseURL: `${fake.url}/v1`, apiKey: "sk-responsesupstream123" }),
  );
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  replies = [];
  fake.requests.length = 0;
});

const lastBody = () => fake.requests.at(-1)?.body as Record<string, unknown>;
const resource = (status: string, output: unknown[] = [], extra: object = {}) => ({
  id: "resp_up",
  object: "response",
  status,
  output,
  usage: {
    input_tokens: 5,
    output_tokens: 3,
    total_tokens: 8,
    input_tokens_details: { cached_tokens: 1 },
    output_tokens_details: { reasoning_tokens: 0 },
  },
  ...extra,
});

/** The upstream's `output_item.added` of an assistant message. */
const MESSAGE_ADDED = sseData({
  type: "response.output_item.added",
  output_index: 0,
  item: { type: "message", id: "m1", role: "assistant", content: [] },
});

/** An assistant message started upstream, with its first text delta (which names no item). */
const messageStarted = (delta: string) => [
  MESSAGE_ADDED,
  sseData({ type: "response.output_text.delta", output_index: 0, content_index: 0, delta }),
];

/** A data-only stream of deltas with no `.done` events, no sequence numbers and no `[DONE]`. */
function sloppyText(...pieces: string[]): FakeReply {
  return {
    kind: "sse",
    chunks: [
      sseData({ type: "response.created", response: resource("in_progress") }),
      MESSAGE_ADDED,
      ...pieces.map((delta) =>
        sseData({
          type: "response.output_text.delta",
          item_id: "m1",
          output_index: 0,
          content_index: 0,
          delta,
        }),
      ),
      sseData({ type: "response.completed", response: resource("completed") }),
    ],
  };
}

describe("openResponsesModel", () => {
  it("P1: sends the whole context each turn, store false, no ids; the kit keeps the state", async () => {
    replies.push(sloppyText("Hi ", "Ada."), sloppyText("You are Ada."));
    const first = await jsonTurn(handler, {
      model: "llama",
      input: "I am Ada.",
      metadata: { k: "v" },
      temperature: 0.3,
    });
    expect(first.body.status).toBe("completed");
    expect(lastBody()).toEqual({
      model: "llama",
      input: [{ type: "message", role: "user", content: "I am Ada." }],
      temperature: 0.3,
      stream: true,
      store: false,
    });
    expect(fake.requests.at(-1)?.path).toBe("/v1/responses");
    expect(fake.requests.at(-1)?.headers.authorization).toBe("Bearer sk-responsesupstream123");
    const second = await streamTurn(handler, {
      model: "llama",
      previous_response_id: first.body.id,
      input: "Who am I?",
    });
    expect(outputText(second.response)).toBe("You are Ada.");
    expect(lastBody().input).toEqual([
      { type: "message", role: "user", content: "I am Ada." },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi Ada." }] },
      { type: "message", role: "user", content: "Who am I?" },
    ]);
    expect(lastBody().previous_response_id).toBeUndefined();
  });

  it("S1–S9 repaired: a data-only stream without .done events becomes the exact event sequence", async () => {
    replies.push(sloppyText("Hel", "lo"));
    const { events, response } = await streamTurn(handler, { model: "m", input: "hi" });
    expect(events.map((event) => event.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(response.usage).toMatchObject({
      input_tokens: 5,
      output_tokens: 3,
      input_tokens_details: { cached_tokens: 1 },
    });
  });

  it("reasoning under OpenAI's names, encrypted content, and a function call whose arguments come only in its done event", async () => {
    replies.push({
      kind: "sse",
      chunks: [
        sseEvent("response.output_item.added", {
          type: "response.output_item.added",
          sequence_number: 1,
          output_index: 0,
          item: { type: "reasoning", id: "r1", summary: [] },
        }),
        sseEvent("response.reasoning_text.delta", {
          type: "response.reasoning_text.delta",
          sequence_number: 2,
          item_id: "r1",
          output_index: 0,
          content_index: 0,
          delta: "Think.",
        }),
        sseEvent("response.output_item.done", {
          type: "response.output_item.done",
          sequence_number: 3,
          output_index: 0,
          item: { type: "reasoning", id: "r1", summary: [], encrypted_content: "opaque-state" },
        }),
        sseEvent("response.output_item.added", {
          type: "response.output_item.added",
          sequence_number: 4,
          output_index: 1,
          item: { type: "function_call", id: "f1", call_id: "call_1", name: "lookup", arguments: "" },
        }),
        sseEvent("response.output_item.done", {
          type: "response.output_item.done",
          sequence_number: 5,
          output_index: 1,
          item: {
            type: "function_call",
            id: "f1",
            call_id: "call_1",
            name: "lookup",
            arguments: '{"q":"x"}',
          },
        }),
        sseEvent("response.completed", {
          type: "response.completed",
          sequence_number: 6,
          response: resource("completed"),
        }),
        "data: [DONE]\n\n",
      ],
    });
    const { response } = await streamTurn(handler, {
      model: "m",
      input: "hi",
      tools: [{ type: "function", name: "lookup" }],
      include: ["reasoning.encrypted_content"],
    });
    const reasoning = response.output[0] as ReasoningBody;
    expect(reasoning.content).toEqual([{ type: "reasoning_text", text: "Think." }]);
    expect(reasoning.encrypted_content).toBe("opaque-state");
    expect(response.output[1]).toMatchObject({
      type: "function_call",
      call_id: "call_1",
      arguments: '{"q":"x"}',
    });
    expect(lastBody().include).toEqual(["reasoning.encrypted_content"]);
    expect(lastBody().tools).toEqual([{ type: "function", name: "lookup" }]);
  });

  it("I5: the next turn returns the reasoning's encrypted content and the call in input form", async () => {
    replies.push({
      kind: "json",
      status: 200,
      body: resource("completed", [
        { type: "reasoning", id: "r1", summary: [], encrypted_content: "state-1" },
        {
          type: "function_call",
          id: "f1",
          call_id: "call_1",
          name: "lookup",
          arguments: "{}",
          status: "completed",
        },
      ]),
    });
    replies.push(sloppyText("Done."));
    const first = await jsonTurn(handler, {
      model: "m",
      input: "go",
      tools: [{ type: "function", name: "lookup" }],
    });
    const call = (first.body.output as FunctionCall[]).find((item) => item.type === "function_call");
    await streamTurn(handler, {
      model: "m",
      previous_response_id: first.body.id,
      tools: [{ type: "function", name: "lookup" }],
      input: [{ type: "function_call_output", call_id: call?.call_id, output: "42" }],
    });
    expect(lastBody().input).toEqual([
      { type: "message", role: "user", content: "go" },
      { type: "reasoning", summary: [], encrypted_content: "state-1" },
      { type: "function_call", call_id: "call_1", name: "lookup", arguments: "{}" },
      { type: "function_call_output", call_id: "call_1", output: "42" },
    ]);
  });

  it("S9: response.incomplete upstream ends incomplete with its reason", async () => {
    replies.push({
      kind: "sse",
      chunks: [
        ...messageStarted("One, two"),
        sseData({
          type: "response.incomplete",
          response: resource("incomplete", [], { incomplete_details: { reason: "max_output_tokens" } }),
        }),
      ],
    });
    const { response } = await streamTurn(handler, { model: "m", input: "count" });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });

  it("S8: response.failed upstream after output is error + response.failed with the upstream's message", async () => {
    replies.push({
      kind: "sse",
      chunks: [
        ...messageStarted("Part"),
        sseData({
          type: "response.failed",
          response: resource("failed", [], { error: { code: "server_error", message: "GPU fell over" } }),
        }),
      ],
    });
    const { response } = await streamTurn(handler, { model: "m", input: "x" });
    expect(response.status).toBe("failed");
    expect(response.error?.message).toContain("GPU fell over");
    expect(outputText(response)).toBe("Part");
  });

  it("a stream that ends without a terminal event was cut: the response fails", async () => {
    replies.push({
      kind: "sse",
      chunks: [...messageStarted("Par")],
    });
    const { response } = await streamTurn(handler, { model: "m", input: "x" });
    expect(response.status).toBe("failed");
    expect(response.error?.message).toContain("without a terminal event");
  });

  it("E2: the upstream's 404 for an unknown model stays a 404", async () => {
    replies.push({
      kind: "json",
      status: 404,
      body: { error: { message: "model 'nope' not found", code: "model_not_found" } },
    });
    const { status, body } = await jsonTurn(handler, { model: "nope", input: "x" });
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ type: "not_found", code: "model_not_found" });
  });
});
