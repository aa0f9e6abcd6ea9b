/** `Conversation` over HTTP and over a WebSocket session, against the server kit on 127.0.0.1. */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Conversation } from "../../src/conversation/index.js";
import { toInputItems } from "../../src/conversation/items.js";
import { OpenResponsesError } from "../../src/errors.js";
import type { ModelPart, ModelRequest } from "../../src/server/model.js";
import type { ResponseResource } from "../../src/spec/index.js";
import { ResponsesSocket } from "../../src/websocket/index.js";
import { scriptedModel } from "../websocket/helpers.js";
import { type DualServer, startDualServer } from "./helpers.js";

const PREFIXED = {
  type: "acme:trace",
  id: "tr_1",
  status: "completed",
  data: { hops: [1, 2], note: "kept" },
} as const;

/** Text of the newest user message in the model's context. */
function lastUserText(request: ModelRequest): string {
  const users = request.input.filter(
    (item) =>
      (item as { type?: string; role?: string }).type === "message" &&
      (item as { role?: string }).role === "user",
  );
  return JSON.stringify(users.at(-1) ?? "");
}

function script(request: ModelRequest): ModelPart[] {
  const last = request.input.at(-1) as { type?: string } | undefined;
  if (last?.type === "function_call_output") {
    return [
      { type: "phase", phase: "final_answer" },
      { type: "text", delta: "It is sunny in Paris." },
    ];
  }
  if (lastUserText(request).includes("explode")) throw Object.assign(new Error("boom"), { code: "boom" });
  if (lastUserText(request).includes("weather")) {
    return [
      { type: "reasoning", delta: "The user wants the weather." },
      { type: "reasoning_summary", delta: "Look up the weather." },
      { type: "reasoning_encrypted", encryptedContent: "enc:opaque-state-1" },
      { type: "end_item" },
      { type: "phase", phase: "commentary" },
      { type: "text", delta: "Checking the forecast." },
      { type: "end_item" },
      { type: "function_call", name: "weather", arguments: '{"city":"Paris"}', callId: "call_paris" },
      { type: "item", item: { ...PREFIXED, data: { ...PREFIXED.data } } },
    ];
  }
  return [{ type: "text", delta: `turn ${request.input.length}` }];
}

const tools = [
  {
    type: "function" as const,
    name: "weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
];

function itemsOfTypes(response: ResponseResource): string[] {
  return response.output.map((item) => item.type);
}

/** The lossless check: what the server produced comes back to it as exactly those items (request form). */
function expectReplayed(produced: ResponseResource, received: unknown[]): void {
  const expected = toInputItems(produced.output);
  const start = received.findIndex((item) => (item as { id?: string }).id === produced.output[0]?.id);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(received.slice(start, start + expected.length)).toEqual(expected);
  const byType = (type: string) =>
    received.find((item) => (item as { type?: string }).type === type) as Record<string, unknown>;
  const producedOf = (type: string) =>
    produced.output.find((item) => item.type === type) as unknown as Record<string, unknown>;
  // Opaque state and the fields the spec asks clients to round-trip, compared with the original output.
  expect(byType("reasoning")).toMatchObject({
    id: producedOf("reasoning").id,
    encrypted_content: "enc:opaque-state-1",
    summary: producedOf("reasoning").summary,
  });
  expect(byType("function_call")).toMatchObject({
    id: producedOf("function_call").id,
    call_id: "call_paris",
    name: "weather",
    arguments: '{"call":"Paris"}'.replace("call", "city"),
  });
  const commentary = received.find((item) => (item as { phase?: string }).phase === "commentary");
  expect(commentary).toMatchObject({ role: "assistant", phase: "commentary", id: producedOf("message").id });
  expect(received.find((item) => (item as { type?: string }).type === "acme:trace")).toEqual(PREFIXED);
}

describe("Conversation", () => {
  let server: DualServer;
  const model = scriptedModel((request) => script(request));

  beforeAll(async () => {
    server = await startDualServer(model);
  });
  afterAll(async () => {
    await server.close();
  });

  it("lossless replay over HTTP (resend): reasoning, phase, tool calls and a prefixed item come back exactly", async () => {
    const convo = new Conversation(server.client, { model: "m", tools, mode: "resend" });
    const first = await convo.send("What is the weather in Paris?");
    expect(itemsOfTypes(first)).toEqual(["reasoning", "message", "function_call", "acme:trace"]);
    expect(convo.pendingToolCalls.map((call) => (call as { call_id?: string }).call_id)).toEqual([
      "call_paris",
    ]);

    const before = model.requests.length;
    convo.addToolOutputs({ call_paris: { temperature: 24, sky: "clear" } });
    const second = await convo.send();
    expect(second.output.at(-1)).toMatchObject({ type: "message", phase: "final_answer" });

    const request = model.requests[before]!;
    expect(request.body.previous_response_id ?? null).toBeNull();
    expectReplayed(first, request.input);
    expect(request.input.at(-1)).toEqual({
      type: "function_call_output",
      call_id: "call_paris",
      output: '{"temperature":24,"sky":"clear"}',
    });
    expect(convo.pendingToolCalls).toEqual([]);

    // A third turn replays both earlier responses, in order.
    const third = model.requests.length;
    const last = await convo.send("thanks");
    const context = model.requests[third]!.input;
    expectReplayed(first, context);
    expect(context).toContainEqual(toInputItems(second.output)[0]);
    // The conversation's items are exactly what the server saw, plus the newest output.
    expect(convo.items).toEqual([...context, ...toInputItems(last.output)]);
  });

  it("lossless replay over a WebSocket session (resend, store:false)", async () => {
    const session = new ResponsesSocket({ url: server.wsUrl });
    try {
      const convo = new Conversation(null, {
        model: "m",
        tools,
        mode: "resend",
        defaults: { store: false },
        transport: session,
      });
      const first = await convo.send("weather please");
      const before = model.requests.length;
      convo.addToolOutputs([{ call_id: "call_paris", output: "sunny" }]);
      await convo.send();
      expectReplayed(first, model.requests[before]!.input);
    } finally {
      await session.close();
    }
  });

  it("previous_response_id mode sends only the new items and the id (P1)", async () => {
    const convo = new Conversation(server.client, { model: "m" });
    const first = await convo.send("hello");
    const before = model.requests.length;
    await convo.send("again");
    const body = model.requests[before]!.body;
    expect(body.previous_response_id).toBe(first.id);
    expect(body.input).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "again" }] },
    ]);
    expect(convo.items.length).toBe(4);
  });

  it("over HTTP with store:false it resends the whole context (HTTP cannot reach unstored responses)", async () => {
    const convo = new Conversation(server.client, { model: "m", defaults: { store: false } });
    await convo.send("one");
    const before = model.requests.length;
    await convo.send("two");
    const body = model.requests[before]!.body;
    expect(body.previous_response_id ?? null).toBeNull();
    expect((body.input as unknown[]).length).toBe(3);
  });

  it("falls back to a full resend on previous_response_not_found over HTTP (404)", async () => {
    const convo = new Conversation(server.client, { model: "m" });
    const first = await convo.send("remember me");
    server.store.delete(first.id);
    const before = model.requests.length;
    const second = await convo.send("still there?");
    expect(second.status).toBe("completed");
    // The failed attempt never reached the model; the resend carried the full context.
    const body = model.requests[before]!.body;
    expect(body.previous_response_id ?? null).toBeNull();
    expect(JSON.stringify(body.input)).toContain("remember me");
    expect(convo.previousResponseId).toBe(second.id);
  });

  it("falls back to a full resend on the WebSocket previous_response_not_found (after a W5 eviction)", async () => {
    const session = new ResponsesSocket({ url: server.wsUrl });
    try {
      const convo = new Conversation(null, { model: "m", defaults: { store: false }, transport: session });
      await convo.send("first");
      // A failed continuation evicts the previous response from the connection's memory (W5).
      await expect(convo.send("explode")).rejects.toThrow();
      convo.add([]);
      const before = model.requests.length;
      const after = await convo.send("recover");
      expect(after.status).toBe("completed");
      const body = model.requests[before]!.body;
      expect(body.previous_response_id ?? null).toBeNull();
      expect(JSON.stringify(body.input)).toContain("first");
      expect(JSON.stringify(body.input)).toContain("recover");
    } finally {
      await session.close();
    }
  });

  it("W6: compact() starts a new chain from the compacted window plus the newest items", async () => {
    const convo = new Conversation(server.client, { model: "m" });
    await convo.send("alpha");
    await convo.send("beta");
    const compacted = await convo.compact();
    expect(compacted.object).toBe("response.compaction");
    expect(convo.previousResponseId).toBeNull();
    expect(convo.items).toEqual(toInputItems(compacted.output));
    const before = model.requests.length;
    await convo.send("gamma");
    const body = model.requests[before]!.body;
    expect(body.previous_response_id ?? null).toBeNull();
    expect(body.input).toEqual([
      ...toInputItems(compacted.output),
      { type: "message", role: "user", content: [{ type: "input_text", text: "gamma" }] },
    ]);
  });

  it("stream() returns a ResponseStream, and turns run one after another", async () => {
    const convo = new Conversation(server.client, { model: "m", mode: "resend" });
    const a = convo.stream("a");
    const b = convo.stream("b");
    const types: string[] = [];
    for await (const event of a) types.push(event.type);
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    const second = await b.finalResponse();
    expect(second.status).toBe("completed");
    // The second turn was built after the first finished, so it carries the first's output.
    expect(convo.items.length).toBe(4);
  });

  it("addToolOutputs refuses an unknown call_id and stages nothing", async () => {
    const convo = new Conversation(server.client, { model: "m" });
    expect(() => convo.addToolOutputs({ call_nope: "x" })).toThrow(OpenResponsesError);
    expect(convo.pendingItems).toEqual([]);
  });

  it("needs a client or a transport", () => {
    expect(() => new Conversation(null)).toThrow(OpenResponsesError);
  });
});
