/** Server WebSocket mode over real sockets on 127.0.0.1, rule by rule (W1–W9). */

import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachWebSocketMode } from "../../../src/server/index.js";
import { createResponsesEngine } from "../../../src/server/kit/engine.js";
import type { ModelPart } from "../../../src/server/model.js";
import {
  rawClient,
  scriptedModel,
  slowly,
  startWsServer,
  type WireMessage,
  type WsTestServer,
} from "../../websocket/helpers.js";

const hello: ModelPart[] = [
  { type: "text", delta: "Hello" },
  { type: "text", delta: " there" },
];

function model() {
  return scriptedModel((request) => {
    const text = JSON.stringify(request.body.input ?? "");
    if (text.includes("explode")) throw Object.assign(new Error("boom"), { code: "model_exploded" });
    if (text.includes("slow")) return slowly(hello, 40);
    return hello;
  });
}

function types(messages: WireMessage[]): string[] {
  return messages.map((message) => message.type);
}

function responseOf(messages: WireMessage[]): { id: string; status: string } {
  return messages.at(-1)?.response as { id: string; status: string };
}

describe("server WebSocket mode", () => {
  let server: WsTestServer;
  const testModel = model();

  beforeAll(async () => {
    server = await startWsServer(testModel);
  });
  afterAll(async () => {
    await server.close();
  });

  it("W1/W2: a response.create turn is answered with the S4–S9 event sequence", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "hi" });
      const messages = await client.turn();
      expect(types(messages)).toEqual([
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
      const sequence = messages.map((message) => message.sequence_number as number);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect(new Set(sequence).size).toBe(sequence.length);
      expect(responseOf(messages).status).toBe("completed");
    } finally {
      await client.close();
    }
  });

  it("W1: `stream` and `stream_options` are ignored (some clients send them); the turn streams", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "hi", stream: true });
      expect(responseOf(await client.turn()).status).toBe("completed");
      client.send({
        type: "response.create",
        model: "m",
        input: "hi",
        stream: false,
        stream_options: { include_obfuscation: false },
      });
      const turn = await client.turn();
      expect(types(turn)).toContain("response.output_text.delta");
      expect(responseOf(turn).status).toBe("completed");
    } finally {
      await client.close();
    }
  });

  it("W1: `background: true` is refused with a 400 envelope naming the field; the socket stays usable", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "hi", background: true });
      const [envelope] = await client.turn();
      expect(envelope).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "unsupported_parameter", param: "background" },
      });
      expect(String((envelope as unknown as { error: { message: string } }).error.message)).toMatch(
        /`background`.*Omit/,
      );
      client.send({ type: "response.create", model: "m", input: "hi", background: false });
      expect(responseOf(await client.turn()).status).toBe("completed");
    } finally {
      await client.close();
    }
  });

  it("W3: a `stream_id` (multiplexed lanes) is answered at once with an error envelope, even behind a turn", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "slow one" });
      client.send({ type: "response.create", model: "m", input: "hi", stream_id: "lane-2" });
      const first = await client.turn();
      // The refusal overtakes the turn in flight: it is the first message of the connection.
      expect(first[0]).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "unsupported_parameter", param: "stream_id" },
      });
      expect(String((first[0] as unknown as { error: { message: string } }).error.message)).toMatch(
        /stream_id.*Omit/s,
      );
    } finally {
      await client.close();
    }
  });

  it("W3: turns sent together run one after the other, never interleaved", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "slow one" });
      client.send({ type: "response.create", model: "m", input: "slow two" });
      const first = await client.turn();
      const second = await client.turn();
      const firstId = responseOf(first).id;
      const secondId = responseOf(second).id;
      expect(firstId).not.toBe(secondId);
      // Every event of the first turn precedes the second turn's response.created.
      expect(first.every((message) => !JSON.stringify(message).includes(secondId))).toBe(true);
      expect(second[0]?.type).toBe("response.created");
      // S4: sequence numbers keep increasing across the session.
      const last = first.at(-1)?.sequence_number as number;
      expect(second[0]?.sequence_number as number).toBeGreaterThan(last);
    } finally {
      await client.close();
    }
  });

  it("W4: store:false continues from connection-local memory on the same socket, not on another", async () => {
    const client = await rawClient(server.url);
    const other = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "remember 42", store: false });
      const first = responseOf(await client.turn());
      expect(await server.store.get(first.id)).toBeUndefined();

      const before = testModel.requests.length;
      client.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: [{ type: "message", role: "user", content: "and now?" }],
      });
      expect(responseOf(await client.turn()).status).toBe("completed");
      // P1: the model saw previous input + previous output + the new input.
      const context = JSON.stringify(testModel.requests[before]?.input);
      expect(context).toContain("remember 42");
      expect(context).toContain("Hello there");
      expect(context).toContain("and now?");

      other.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: "x",
      });
      const [envelope] = await other.turn();
      expect(envelope).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "previous_response_not_found", param: "previous_response_id" },
      });
    } finally {
      await client.close();
      await other.close();
    }
  });

  it("W5: a continuation that fails evicts the id it continued from", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "start", store: false });
      const first = responseOf(await client.turn());

      client.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: "explode",
      });
      const failed = await client.turn();
      expect(types(failed)).toContain("error");
      expect(failed.at(-1)?.type).toBe("response.failed");

      client.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: "again",
      });
      const [envelope] = await client.turn();
      expect(envelope).toMatchObject({ type: "error", error: { code: "previous_response_not_found" } });
    } finally {
      await client.close();
    }
  });

  it("W5: a function_call_output answering no call of the context fails the turn (400) and evicts the id", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "start", store: false });
      const first = responseOf(await client.turn());
      client.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: [{ type: "function_call_output", call_id: "call_never_made", output: "1" }],
      });
      const [rejected] = await client.turn();
      expect(rejected).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "function_call_not_found", param: "input[0].call_id" },
      });
      client.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: "x",
      });
      const [envelope] = await client.turn();
      expect(envelope).toMatchObject({ type: "error", error: { code: "previous_response_not_found" } });
    } finally {
      await client.close();
    }
  });

  it("W5: a continuation rejected by validation (4xx) evicts too", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "start", store: false });
      const first = responseOf(await client.turn());
      client.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: "x",
        tool_choice: { type: "function", name: "missing_tool" },
      });
      const [rejected] = await client.turn();
      expect(rejected).toMatchObject({ type: "error", status: 400 });
      client.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: "y",
      });
      const [envelope] = await client.turn();
      expect(envelope).toMatchObject({ error: { code: "previous_response_not_found" } });
    } finally {
      await client.close();
    }
  });

  it("W4: with store left on, a response continues from another connection through the shared store", async () => {
    const client = await rawClient(server.url);
    const other = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "stored" });
      const first = responseOf(await client.turn());
      other.send({ type: "response.create", model: "m", previous_response_id: first.id, input: "next" });
      expect(responseOf(await other.turn()).status).toBe("completed");
    } finally {
      await client.close();
      await other.close();
    }
  });

  it("W8: bad JSON, unknown message types and invalid bodies get 400 envelopes; the connection stays usable", async () => {
    const client = await rawClient(server.url);
    try {
      client.send("{not json");
      expect(await client.next()).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "invalid_json" },
      });
      client.send({ type: "session.update" });
      expect(await client.next()).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "unsupported_message_type", param: "type" },
      });
      client.send([1, 2]);
      expect(await client.next()).toMatchObject({ type: "error", status: 400 });
      const tool = { type: "function", name: "lookup", parameters: { type: "object" } };
      client.send({ type: "response.create", model: "m", input: "x", tools: [tool, tool] });
      const invalid = await client.next();
      expect(invalid).toMatchObject({ type: "error", status: 400 });
      expect((invalid.error as { message: string }).message.length).toBeGreaterThan(0);
      client.send({ type: "response.create", model: "m", input: "fine" });
      expect(responseOf(await client.turn()).status).toBe("completed");
    } finally {
      await client.close();
    }
  });

  it("W3/W8: a bad message queued behind a running turn is answered after that turn, in order", async () => {
    const client = await rawClient(server.url);
    try {
      client.send({ type: "response.create", model: "m", input: "slow" });
      client.send("nope");
      const turn = await client.turn();
      expect(turn.at(-1)?.type).toBe("response.completed");
      expect(await client.next()).toMatchObject({ type: "error", error: { code: "invalid_json" } });
    } finally {
      await client.close();
    }
  });

  it("W8: a binary frame is read as text; garbage gets an invalid_json envelope", async () => {
    const client = await rawClient(server.url);
    try {
      client.socket.send(Buffer.from([0xff, 0x00, 0x12]), { binary: true });
      expect(await client.next()).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "invalid_json" },
      });
    } finally {
      await client.close();
    }
  });

  it("upgrades on other paths are refused with 404", async () => {
    await expect(rawClient(server.url.replace("/v1/responses", "/v1/other"))).rejects.toThrow(/404/);
  });
});

describe("server WebSocket mode: auth and age limit", () => {
  it("refuses the upgrade with 401 without the API key, accepts it with the key", async () => {
    const server = await startWsServer(model(), { apiKey: "sk-test-secret-key-123" });
    try {
      await expect(rawClient(server.url)).rejects.toThrow(/401/);
      await expect(rawClient(server.url, { authorization: "Bearer wrong" })).rejects.toThrow(/401/);
      const client = await rawClient(server.url, { authorization: "Bearer sk-test-secret-key-123" });
      client.send({ type: "response.create", model: "m", input: "hi" });
      expect(responseOf(await client.turn()).status).toBe("completed");
      await client.close();
    } finally {
      await server.close();
    }
  });

  it("W7: at the age limit the server sends websocket_connection_limit_reached, then closes", async () => {
    const server = await startWsServer(model(), { maxConnectionAgeMs: 150 });
    try {
      const client = await rawClient(server.url);
      const envelope = await client.next(3000);
      expect(envelope).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "websocket_connection_limit_reached" },
      });
      expect(await client.closed).toBe(1000);
    } finally {
      await server.close();
    }
  });

  it("W7: a turn in flight at the limit finishes before the limit envelope", async () => {
    const server = await startWsServer(
      scriptedModel(() => slowly(hello, 120)),
      { maxConnectionAgeMs: 100 },
    );
    try {
      const client = await rawClient(server.url);
      client.send({ type: "response.create", model: "m", input: "hi" });
      const turn = await client.turn(3000);
      expect(turn.at(-1)?.type).toBe("response.completed");
      expect(await client.next(3000)).toMatchObject({
        error: { code: "websocket_connection_limit_reached" },
      });
      expect(await client.closed).toBe(1000);
    } finally {
      await server.close();
    }
  });
});

describe("attachWebSocketMode options", () => {
  it("refuses a connection age limit that is not positive", () => {
    const server = createServer();
    const engine = createResponsesEngine({ model: scriptedModel(() => []) });
    expect(() => attachWebSocketMode(server, { engine, store: engine.store, maxConnectionAgeMs: 0 })).toThrow(
      RangeError,
    );
  });
});
