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

describe("Conversation: what was streamed counts, not only the terminal snapshot", () => {
  it("I1/X2: a terminal event with `output: []` still records the streamed items for the next turn", async () => {
    const { cannedTurn } = await import("../websocket/helpers.js");
    const bodies: Array<Record<string, unknown>> = [];
    const transport = {
      async *stream(body: unknown) {
        bodies.push(body as Record<string, unknown>);
        const events = cannedTurn(`resp_${bodies.length}`, `answer ${bodies.length}`);
        // Some servers send the terminal snapshot without its output; the items came as events.
        const terminal = events.at(-1) as unknown as { response: { output: unknown[] } };
        terminal.response = { ...terminal.response, output: [] };
        for (const event of events) yield event as never;
      },
    };
    const convo = new Conversation(null, { transport, mode: "resend", model: "m" });
    const first = await convo.send("hello");
    expect(first.output).toHaveLength(1);
    expect(convo.items.map((item) => item.type)).toEqual(["message", "message"]);
    expect(convo.items[1]).toMatchObject({ role: "assistant", id: "msg_resp_1" });
    await convo.send("again");
    const resent = bodies[1]?.input as Array<Record<string, unknown>>;
    expect(resent.map((item) => item.role)).toEqual(["user", "assistant", "user"]);
    expect(JSON.stringify(resent[1])).toContain("answer 1");
  });
});

describe("Conversation: a turn abandoned while queued", () => {
  it("is never sent, and the turns after it still run", async () => {
    const { cannedTurn } = await import("../websocket/helpers.js");
    const inputs: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transport = {
      async *stream(body: unknown) {
        const input = JSON.stringify((body as { input: unknown }).input);
        inputs.push(input);
        const events = cannedTurn(`resp_${inputs.length}`, `answer ${inputs.length}`);
        yield events[0] as never;
        if (inputs.length === 1) await gate; // the first turn stays in flight until released
        for (const event of events.slice(1)) yield event as never;
      },
    };
    const convo = new Conversation(null, { transport, mode: "resend", model: "m" });
    const first = convo.stream("first");
    const firstDone = first.finalResponse();
    const abandoned = convo.stream("abandoned");
    abandoned.abort();
    await expect(abandoned.finalResponse()).rejects.toBeInstanceOf(Error);
    release();
    expect((await firstDone).status).toBe("completed");
    const third = await Promise.race([
      convo.send("third"),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("third turn hung")), 3000)),
    ]);
    expect(third.status).toBe("completed");
    // Two requests only: the abandoned turn never went out on its own (its input stays staged, like a
    // failed turn's, and travels with the next one).
    expect(inputs).toHaveLength(2);
    expect(inputs[1]).toContain("third");
  }, 10_000);
});

describe("Conversation: items given in output form", () => {
  it("I5: starting items and add() take a response's output as is, and send them in request form", async () => {
    const { isValid } = await import("../../src/spec/index.js");
    const bodies: Array<Record<string, unknown>> = [];
    const { cannedTurn } = await import("../websocket/helpers.js");
    const transport = {
      async *stream(body: unknown) {
        bodies.push(body as Record<string, unknown>);
        for (const event of cannedTurn(`resp_${bodies.length}`, "ok")) yield event as never;
      },
    };
    const savedOutput = [
      {
        type: "reasoning",
        id: "rs_1",
        content: [{ type: "reasoning_text", text: "raw thoughts" }],
        summary: [{ type: "summary_text", text: "short" }],
        encrypted_content: "enc:keep-me",
      },
      {
        type: "message",
        id: "msg_1",
        role: "assistant",
        status: "completed",
        phase: "final_answer",
        content: [{ type: "output_text", text: "hi", annotations: [], logprobs: [] }],
      },
    ];
    const convo = new Conversation(null, {
      transport,
      mode: "resend",
      model: "m",
      items: savedOutput as never,
    });
    convo.add(savedOutput as never);
    await convo.send("next");
    const input = bodies[0]?.input as Array<Record<string, unknown>>;
    expect(input.map((item) => item.type)).toEqual([
      "reasoning",
      "message",
      "reasoning",
      "message",
      "message",
    ]);
    for (const item of input) expect(isValid("ItemParam", item)).toBe(true);
    expect(input[0]).toMatchObject({
      id: "rs_1",
      encrypted_content: "enc:keep-me",
      summary: [{ text: "short" }],
    });
    expect(input[1]).toMatchObject({ phase: "final_answer", content: [{ type: "output_text", text: "hi" }] });
  });
});
