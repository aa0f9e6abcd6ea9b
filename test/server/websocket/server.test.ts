/** Server WebSocket mode over real sockets on 127.0.0.1, rule by rule (W1–W9). */

import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachWebSocketMode } from "../../../src/server/index.js";
import { createResponsesEngine } from "../../../src/server/kit/engine.js";
import type { ModelPart } from "../../../src/server/model.js";
import {
  type RawClient,
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

/** Opens `count` raw clients to `url`, runs `body` with them, and closes them whatever happens. */
async function withClients(
  url: string,
  count: number,
  body: (clients: [RawClient, RawClient]) => Promise<void>,
): Promise<void> {
  const clients: RawClient[] = [];
  try {
    for (let index = 0; index < count; index++) clients.push(await rawClient(url));
    await body(clients as [RawClient, RawClient]);
  } finally {
    for (const client of clients) await client.close();
  }
}

/** Sends a `response.create` with `model: "m"` and the given fields. */
function create(client: RawClient, fields: Record<string, unknown>): void {
  client.send({ type: "response.create", model: "m", ...fields });
}

/** A first turn with `store: false` (kept in the connection's memory only); its response. */
async function unstoredTurn(client: RawClient, input: string): Promise<{ id: string; status: string }> {
  create(client, { input, store: false });
  return responseOf(await client.turn());
}

/** W5: a `store: false` continuation of `id` is refused: the id is no longer in the connection's memory. */
async function expectEvicted(client: RawClient, id: string, input: string): Promise<void> {
  create(client, { store: false, previous_response_id: id, input });
  const [envelope] = await client.turn();
  expect(envelope).toMatchObject({ type: "error", error: { code: "previous_response_not_found" } });
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
    await withClients(server.url, 1, async ([client]) => {
      create(client, { input: "hi" });
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
    });
  });

  it("W1: `stream` and `stream_options` are ignored (some clients send them); the turn streams", async () => {
    await withClients(server.url, 1, async ([client]) => {
      create(client, { input: "hi", stream: true });
      expect(responseOf(await client.turn()).status).toBe("completed");
      create(client, { input: "hi", stream: false, stream_options: { include_obfuscation: false } });
      const turn = await client.turn();
      expect(types(turn)).toContain("response.output_text.delta");
      expect(responseOf(turn).status).toBe("completed");
    });
  });

  it("W1: `background: true` is refused with a 400 envelope naming the field; the socket stays usable", async () => {
    await withClients(server.url, 1, async ([client]) => {
      create(client, { input: "hi", background: true });
      const [envelope] = await client.turn();
      expect(envelope).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "unsupported_parameter", param: "background" },
      });
      expect(String((envelope as unknown as { error: { message: string } }).error.message)).toMatch(
        /`background`.*Omit/,
      );
      create(client, { input: "hi", background: false });
      expect(responseOf(await client.turn()).status).toBe("completed");
    });
  });

  it("W3: a `stream_id` (multiplexed lanes) is answered at once with an error envelope, even behind a turn", async () => {
    await withClients(server.url, 1, async ([client]) => {
      create(client, { input: "slow one" });
      create(client, { input: "hi", stream_id: "lane-2" });
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
    });
  });

  it("W3: turns sent together run one after the other, never interleaved", async () => {
    await withClients(server.url, 1, async ([client]) => {
      create(client, { input: "slow one" });
      create(client, { input: "slow two" });
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
    });
  });

  it("W4: store:false continues from connection-local memory on the same socket, not on another", async () => {
    await withClients(server.url, 2, async ([client, other]) => {
      const first = await unstoredTurn(client, "remember 42");
      expect(await server.store.get(first.id)).toBeUndefined();

      const before = testModel.requests.length;
      create(client, {
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

      create(other, { store: false, previous_response_id: first.id, input: "x" });
      const [envelope] = await other.turn();
      expect(envelope).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "previous_response_not_found", param: "previous_response_id" },
      });
    });
  });

  it("W5: a continuation that fails evicts the id it continued from", async () => {
    await withClients(server.url, 1, async ([client]) => {
      const first = await unstoredTurn(client, "start");

      create(client, { store: false, previous_response_id: first.id, input: "explode" });
      const failed = await client.turn();
      expect(types(failed)).toContain("error");
      expect(failed.at(-1)?.type).toBe("response.failed");

      await expectEvicted(client, first.id, "again");
    });
  });

  it("W5: a function_call_output answering no call of the context fails the turn (400) and evicts the id", async () => {
    await withClients(server.url, 1, async ([client]) => {
      const first = await unstoredTurn(client, "start");
      create(client, {
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
      await expectEvicted(client, first.id, "x");
    });
  });

  it("W5: a continuation rejected by validation (4xx) evicts too", async () => {
    await withClients(server.url, 1, async ([client]) => {
      const first = await unstoredTurn(client, "start");
      create(client, {
        store: false,
        previous_response_id: first.id,
        input: "x",
        tool_choice: { type: "function", name: "missing_tool" },
      });
      const [rejected] = await client.turn();
      expect(rejected).toMatchObject({ type: "error", status: 400 });
      await expectEvicted(client, first.id, "y");
    });
  });

  it("W4: with store left on, a response continues from another connection through the shared store", async () => {
    await withClients(server.url, 2, async ([client, other]) => {
      create(client, { input: "stored" });
      const first = responseOf(await client.turn());
      create(other, { previous_response_id: first.id, input: "next" });
      expect(responseOf(await other.turn()).status).toBe("completed");
    });
  });

  it("W8: bad JSON, unknown message types and invalid bodies get 400 envelopes; the connection stays usable", async () => {
    await withClients(server.url, 1, async ([client]) => {
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
      create(client, { input: "x", tools: [tool, tool] });
      const invalid = await client.next();
      expect(invalid).toMatchObject({ type: "error", status: 400 });
      expect((invalid.error as { message: string }).message.length).toBeGreaterThan(0);
      create(client, { input: "fine" });
      expect(responseOf(await client.turn()).status).toBe("completed");
    });
  });

  it("W3/W8: a bad message queued behind a running turn is answered after that turn, in order", async () => {
    await withClients(server.url, 1, async ([client]) => {
      create(client, { input: "slow" });
      client.send("nope");
      const turn = await client.turn();
      expect(turn.at(-1)?.type).toBe("response.completed");
      expect(await client.next()).toMatchObject({ type: "error", error: { code: "invalid_json" } });
    });
  });

  it("W8: a binary frame is read as text; garbage gets an invalid_json envelope", async () => {
    await withClients(server.url, 1, async ([client]) => {
      client.socket.send(Buffer.from([0xff, 0x00, 0x12]), { binary: true });
      expect(await client.next()).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "invalid_json" },
      });
    });
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
      create(client, { input: "hi" });
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
      create(client, { input: "hi" });
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
