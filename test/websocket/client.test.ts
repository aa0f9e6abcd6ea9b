/** The client's WebSocket session over real sockets: against our server and against misbehaving ones. */

import type { AddressInfo } from "node:net";
import { createServer as createNetServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { OpenResponses } from "../../src/client/index.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  PreviousResponseNotFoundError,
  ResponseStreamError,
  WebSocketConnectionLimitError,
  WebSocketError,
} from "../../src/errors.js";
import type { ModelPart } from "../../src/server/model.js";
import type { WebSocketConstructor } from "../../src/websocket/index.js";
import { ResponsesSocket, ResponsesSocketPool, WebSocketRequestError } from "../../src/websocket/index.js";
import {
  cannedTurn,
  scriptedModel,
  slowly,
  startScriptedServer,
  startWsServer,
  type WireMessage,
  type WsTestServer,
} from "./helpers.js";

const hello: ModelPart[] = [
  { type: "text", delta: "Hello" },
  { type: "text", delta: " world" },
];

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe("ResponsesSocket against the server kit", () => {
  let server: WsTestServer;
  const model = scriptedModel((request) => {
    const text = JSON.stringify(request.body.input ?? "");
    return text.includes("slow") ? slowly(hello, 30) : hello;
  });

  beforeAll(async () => {
    server = await startWsServer(model);
  });
  afterAll(async () => {
    await server.close();
  });

  it("W2: a turn is a ResponseStream: for await, .on() and finalResponse() agree", async () => {
    const session = new ResponsesSocket({ url: server.url });
    try {
      const stream = session.create({ model: "m", input: "hi" });
      const deltas: string[] = [];
      stream.on("response.output_text.delta", (event) => deltas.push(event.delta));
      const events = await collect(stream);
      expect(events[0]?.type).toBe("response.created");
      expect(events.at(-1)?.type).toBe("response.completed");
      expect(deltas.join("")).toBe("Hello world");
      const final = await stream.finalResponse();
      expect(final.status).toBe("completed");
      expect(stream.text).toBe("Hello world");
    } finally {
      await session.close();
    }
  });

  it("W3/W4/S4: turns queue on one connection, store:false continues on it, strict checker is satisfied", async () => {
    // Strict: session-wide sequence numbers (S4) and the W2 event sequence pass the protocol checker.
    const session = new ResponsesSocket({ url: server.url, strict: true });
    try {
      const first = session.create({ model: "m", input: "slow first", store: false });
      // Sent before the first finished: queued, not multiplexed.
      const firstResponse = await first.finalResponse();
      const second = session.create({
        model: "m",
        input: "second",
        store: false,
        previous_response_id: firstResponse.id,
      });
      expect((await second.finalResponse()).status).toBe("completed");
      expect([...first.violations, ...second.violations]).toEqual([]);
      expect(session.connections).toBe(1);
    } finally {
      await session.close();
    }
  });

  it("W3: an unread turn does not block the next one, and keeps its events for later", async () => {
    const session = new ResponsesSocket({ url: server.url });
    try {
      const unread = session.create({ model: "m", input: "slow a" });
      const next = session.create({ model: "m", input: "b" });
      expect((await next.finalResponse()).status).toBe("completed");
      expect(await unread.finalText()).toBe("Hello world");
    } finally {
      await session.close();
    }
  });

  it("W4: a continuation the server cannot resolve rejects with PreviousResponseNotFoundError", async () => {
    const session = new ResponsesSocket({ url: server.url });
    try {
      const stream = session.create({ model: "m", input: "x", previous_response_id: "resp_missing" });
      const error = await stream.finalResponse().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PreviousResponseNotFoundError);
      expect(error).toMatchObject({
        status: 400,
        code: "previous_response_not_found",
        param: "previous_response_id",
      });
      // The session stays usable.
      expect((await session.create({ model: "m", input: "y" }).finalResponse()).status).toBe("completed");
    } finally {
      await session.close();
    }
  });

  it("W1: `stream` is removed, `stream_options` and `background` are refused before anything is sent", async () => {
    const session = new ResponsesSocket({ url: server.url });
    try {
      expect(() => session.create({ model: "m", input: "x", background: true } as never)).toThrow(
        WebSocketRequestError,
      );
      expect(() => session.create({ model: "m", stream_options: {} } as never)).toThrow(/stream_options/);
      const stream = session.create({ model: "m", input: "x", stream: true });
      expect((await stream.finalResponse()).status).toBe("completed");
    } finally {
      await session.close();
    }
  });

  it("breaking out of one turn leaves the next turn intact", async () => {
    const session = new ResponsesSocket({ url: server.url });
    try {
      const first = session.create({ model: "m", input: "slow one" });
      const second = session.create({ model: "m", input: "two" });
      for await (const event of first) {
        if (event.type === "response.output_text.delta") break;
      }
      expect(await second.finalText()).toBe("Hello world");
    } finally {
      await session.close();
    }
  });

  it("close() fails turns that have not finished with APIConnectionError", async () => {
    const session = new ResponsesSocket({ url: server.url });
    const queued = session.create({ model: "m", input: "slow" });
    const later = session.create({ model: "m", input: "later" });
    await session.close();
    await expect(later.finalResponse()).rejects.toBeInstanceOf(APIConnectionError);
    await expect(queued.finalResponse()).rejects.toBeInstanceOf(Error);
    expect(() => session.create({ model: "m" })).toThrow(APIConnectionError);
  });

  it("uses a WebSocket constructor passed in the options", async () => {
    const used: string[] = [];
    const Ctor = class extends WebSocket {
      constructor(
        url: string,
        protocols?: string | string[],
        options?: { headers?: Record<string, string> },
      ) {
        used.push(url);
        super(url, protocols, options);
      }
    } as unknown as WebSocketConstructor;
    const session = new ResponsesSocket({ url: server.url, WebSocket: Ctor });
    try {
      expect((await session.create({ model: "m", input: "x" }).finalResponse()).status).toBe("completed");
      expect(used).toEqual([server.url]);
    } finally {
      await session.close();
    }
  });
});

describe("ResponsesSocket auth", () => {
  it("sends the headers on the upgrade; a refused upgrade is an AuthenticationError without the key", async () => {
    const key = "sk-live-abcdefgh12345678";
    const server = await startWsServer(
      scriptedModel(() => hello),
      { apiKey: key },
    );
    try {
      const good = new ResponsesSocket({
        url: server.url,
        headers: async () => ({ authorization: `Bearer ${key}` }),
      });
      expect((await good.create({ model: "m", input: "x" }).finalResponse()).status).toBe("completed");
      await good.close();

      const bad = new ResponsesSocket({
        url: server.url,
        headers: { authorization: "Bearer sk-wrong-key-999999999" },
      });
      const error = await bad
        .create({ model: "m", input: "x" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).status).toBe(401);
      expect(String((error as Error).message)).not.toContain("sk-wrong-key");
      await bad.close();
    } finally {
      await server.close();
    }
  });
});

describe("ResponsesSocket against a misbehaving server", () => {
  it("W8: error envelopes become typed errors with status, code and param", async () => {
    const codes = ["previous_response_not_found", "websocket_connection_limit_reached", "rate_limited"];
    const server = await startScriptedServer((socket, _message, connection) => {
      const code = codes[connection] ?? "other";
      socket.send(
        JSON.stringify({
          type: "error",
          status: code === "rate_limited" ? 429 : 400,
          error: { code, message: `m ${code}`, param: "p" },
        }),
      );
    });
    try {
      const expected = [PreviousResponseNotFoundError, WebSocketConnectionLimitError, WebSocketError];
      for (const [index, Class] of expected.entries()) {
        const session = new ResponsesSocket({ url: server.url });
        const error = await session
          .create({ model: "m", input: "x" })
          .finalResponse()
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Class);
        expect(error).toMatchObject({ code: codes[index], param: "p" });
        await session.close();
      }
    } finally {
      await server.close();
    }
  });

  it("W3: the client sends the next turn only after the previous turn's terminal event", async () => {
    const log: string[] = [];
    const server = await startScriptedServer((socket, message) => {
      log.push(`received ${String(message.input)}`);
      const events = cannedTurn(`resp_${String(message.input)}`, "ok");
      setTimeout(() => {
        for (const event of events) socket.send(JSON.stringify(event));
        log.push(`completed ${String(message.input)}`);
      }, 60);
    });
    const session = new ResponsesSocket({ url: server.url });
    try {
      const a = session.create({ model: "m", input: "a" });
      const b = session.create({ model: "m", input: "b" });
      await Promise.all([a.finalResponse(), b.finalResponse()]);
      expect(log).toEqual(["received a", "completed a", "received b", "completed b"]);
      expect(server.received[0]?.[0]).toEqual({ type: "response.create", model: "m", input: "a" });
    } finally {
      await session.close();
      await server.close();
    }
  });

  it("W1: a turn's message is its body as given to create(), without the HTTP-only fields, with the session's model when it has none", async () => {
    const server = await startScriptedServer((socket, message) => {
      for (const event of cannedTurn(`resp_${String(message.input)}`, "ok"))
        socket.send(JSON.stringify(event));
    });
    const session = new ResponsesSocket({ url: server.url, model: "session-model" });
    try {
      const body = { input: "a", stream: true, stream_options: null, background: null };
      const first = session.create(body as never);
      // Changed after create(): the turn keeps what it was given.
      body.input = "changed";
      const second = session.create({ model: "own", input: "b", metadata: { k: "v" } });
      await Promise.all([first.finalResponse(), second.finalResponse()]);
      expect(server.received[0]).toEqual([
        { type: "response.create", input: "a", model: "session-model" },
        { type: "response.create", model: "own", input: "b", metadata: { k: "v" } },
      ]);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it("a drop mid-turn rejects that turn with the partial response; queued turns fail without recovery", async () => {
    const server = await startScriptedServer((socket, message) => {
      const events = cannedTurn("resp_cut", "partial text");
      for (const event of events.slice(0, 5)) socket.send(JSON.stringify(event));
      if (message.input === "cut") setTimeout(() => socket.terminate(), 30);
    });
    const session = new ResponsesSocket({ url: server.url });
    try {
      const cut = session.create({ model: "m", input: "cut" });
      const queued = session.create({ model: "m", input: "queued" });
      const error = await cut.finalResponse().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseStreamError);
      expect((error as ResponseStreamError).kind).toBe("interrupted");
      expect(JSON.stringify((error as ResponseStreamError).partialResponse?.output)).toContain(
        "partial text",
      );
      await expect(queued.finalResponse()).rejects.toBeInstanceOf(APIConnectionError);
      expect(server.connections).toBe(1);
    } finally {
      await session.close();
      await server.close();
    }
  });
});

describe("ResponsesSocket recovery (W7, W9)", () => {
  /** A server that remembers responses per connection only, like store:false memory, and can be told to drop. */
  async function recoveringServer(
    plan: (message: WireMessage, connection: number) => "answer" | "drop" | "limit",
  ) {
    let counter = 0;
    const server = await startScriptedServer((socket, message, connection) => {
      const action = plan(message, connection);
      if (action === "drop") return socket.terminate();
      if (action === "limit") {
        socket.send(
          JSON.stringify({
            type: "error",
            status: 400,
            error: { code: "websocket_connection_limit_reached", message: "limit" },
          }),
        );
        return socket.close(1000);
      }
      const id = `resp_${++counter}`;
      for (const event of cannedTurn(id, `answer ${counter}`)) socket.send(JSON.stringify(event));
    });
    return server;
  }

  it("W7: after websocket_connection_limit_reached, the next turn opens a new connection", async () => {
    const server = await recoveringServer((message) => (message.input === "limit" ? "limit" : "answer"));
    const session = new ResponsesSocket({ url: server.url, recovery: true });
    try {
      await session.create({ model: "m", input: "one" }).finalResponse();
      // The server answers this turn with the limit envelope: it never started, so it is resent.
      const resent = session.create({ model: "m", input: "limit" });
      const error = await resent.finalResponse().catch((e: unknown) => e);
      // Resent on the new connection, which again answers "limit": after maxReconnects the turn fails.
      expect(error).toBeInstanceOf(WebSocketConnectionLimitError);
      const after = await session.create({ model: "m", input: "two" }).finalResponse();
      expect(after.status).toBe("completed");
      expect(server.connections).toBeGreaterThan(1);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it("W9: a turn that never started is resent after a drop; store:false chains continue with the full context", async () => {
    let dropped = false;
    const server = await recoveringServer((message) => {
      if (message.input !== undefined && JSON.stringify(message.input).includes("drop me") && !dropped) {
        dropped = true;
        return "drop";
      }
      return "answer";
    });
    const session = new ResponsesSocket({ url: server.url, recovery: true });
    try {
      const first = await session.create({ model: "m", input: "first", store: false }).finalResponse();
      const second = session.create({
        model: "m",
        store: false,
        previous_response_id: first.id,
        input: [{ type: "message", role: "user", content: "drop me" }],
      });
      expect((await second.finalResponse()).status).toBe("completed");
      expect(server.connections).toBe(2);
      const resent = server.received[1]?.[0] as WireMessage;
      // The new connection cannot see a store:false response: the chain is resent in full.
      expect(resent.previous_response_id ?? null).toBeNull();
      const input = resent.input as Array<Record<string, unknown>>;
      expect(input.map((item) => item.type)).toEqual(["message", "message", "message"]);
      expect(JSON.stringify(input[0])).toContain("first");
      expect(input[1]).toMatchObject({ id: "msg_resp_1", role: "assistant" });
      expect(JSON.stringify(input[2])).toContain("drop me");
    } finally {
      await session.close();
      await server.close();
    }
  });

  it("W9: a stored chain continues with previous_response_id on the new connection", async () => {
    let dropped = false;
    const server = await recoveringServer((message) => {
      if (message.input === "drop me" && !dropped) {
        dropped = true;
        return "drop";
      }
      return "answer";
    });
    const session = new ResponsesSocket({ url: server.url, recovery: { maxReconnects: 2 } });
    try {
      const first = await session.create({ model: "m", input: "first" }).finalResponse();
      await session.create({ model: "m", previous_response_id: first.id, input: "drop me" }).finalResponse();
      expect(server.received[1]?.[0]).toMatchObject({ previous_response_id: first.id, input: "drop me" });
    } finally {
      await session.close();
      await server.close();
    }
  });

  it("W9: previous_response_not_found is repaired by resending the chain's full context", async () => {
    const server = await startScriptedServer((socket, message) => {
      if (message.previous_response_id) {
        socket.send(
          JSON.stringify({
            type: "error",
            status: 400,
            error: { code: "previous_response_not_found", message: "gone" },
          }),
        );
        return;
      }
      const id = Array.isArray(message.input) ? "resp_2" : "resp_1";
      for (const event of cannedTurn(id, "ok")) socket.send(JSON.stringify(event));
    });
    const session = new ResponsesSocket({ url: server.url, recovery: true });
    const plain = new ResponsesSocket({ url: server.url });
    try {
      const first = await session.create({ model: "m", input: "first", store: false }).finalResponse();
      const second = await session
        .create({ model: "m", input: "next", store: false, previous_response_id: first.id })
        .finalResponse();
      expect(second.id).toBe("resp_2");
      // Without recovery the typed error reaches the caller.
      const error = await plain
        .create({ model: "m", input: "x", previous_response_id: first.id })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PreviousResponseNotFoundError);
    } finally {
      await session.close();
      await plain.close();
      await server.close();
    }
  });

  it("without recovery, a drop fails the queued turns and opens no new connection", async () => {
    const server = await recoveringServer(() => "drop");
    const session = new ResponsesSocket({ url: server.url });
    try {
      const error = await session
        .create({ model: "m", input: "x" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionError);
      // The session is over: a later turn fails with the same error instead of silently reconnecting.
      const later = await session
        .create({ model: "m", input: "y" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(later).toBe(error);
      expect(server.connections).toBe(1);
    } finally {
      await session.close();
      await server.close();
    }
  });
});

describe("ResponsesSocketPool", () => {
  it("W3: parallel turns go to separate connections, up to the pool size", async () => {
    const inFlight = { now: 0, max: 0 };
    const server = await startScriptedServer((socket, message) => {
      inFlight.now += 1;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      setTimeout(() => {
        inFlight.now -= 1;
        for (const event of cannedTurn(`resp_${String(message.input)}`, "ok"))
          socket.send(JSON.stringify(event));
      }, 80);
    });
    const pool = new ResponsesSocketPool(() => new ResponsesSocket({ url: server.url }), 2);
    try {
      const turns = ["a", "b", "c"].map((input) => pool.create({ model: "m", input }));
      const results = await Promise.all(turns.map((turn) => turn.finalResponse()));
      expect(results.map((r) => r.id)).toEqual(["resp_a", "resp_b", "resp_c"]);
      expect(pool.sessions.length).toBe(2);
      expect(server.connections).toBe(2);
      expect(inFlight.max).toBe(2);
    } finally {
      await pool.close();
      await server.close();
    }
    expect(
      () => new ResponsesSocketPool(() => new ResponsesSocket({ url: "ws://127.0.0.1:1" }), 0),
    ).toThrow();
  });
});

describe("recovery end to end with the server kit", () => {
  it("W7/W9: a store:false conversation survives the age limit: the next turn carries the full context", async () => {
    const model = scriptedModel((request) => [{ type: "text", delta: `seen ${request.input.length} items` }]);
    const server = await startWsServer(model, { maxConnectionAgeMs: 250 });
    const session = new ResponsesSocket({ url: server.url, recovery: true });
    try {
      const first = await session.create({ model: "m", input: "keep this", store: false }).finalResponse();
      // Wait (bounded) until the server has ended the first connection with the limit envelope.
      for (let i = 0; i < 50 && server.mode.connections > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(server.mode.connections).toBe(0);
      const second = await session
        .create({ model: "m", input: "and this", store: false, previous_response_id: first.id })
        .finalResponse();
      expect(second.status).toBe("completed");
      expect(session.connections).toBe(2);
      const context = JSON.stringify(model.requests[1]?.input);
      expect(model.requests[1]?.body.previous_response_id ?? null).toBeNull();
      expect(context).toContain("keep this");
      expect(context).toContain("seen 1 items");
      expect(context).toContain("and this");
    } finally {
      await session.close();
      await server.close();
    }
  });
});

describe("W7 without recovery", () => {
  it("after the limit envelope, the session's later turns fail with WebSocketConnectionLimitError", async () => {
    const server = await startWsServer(
      scriptedModel(() => hello),
      { maxConnectionAgeMs: 100 },
    );
    const session = new ResponsesSocket({ url: server.url });
    try {
      await session.ready();
      for (let i = 0; i < 50 && server.mode.connections > 0; i++) await new Promise((r) => setTimeout(r, 20));
      const error = await session
        .create({ model: "m", input: "late" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebSocketConnectionLimitError);
      expect(session.connections).toBe(1);
    } finally {
      await session.close();
      await server.close();
    }
  });
});

describe("ResponsesSocket hardening: silent servers, aborted handshakes, abandoned turns", () => {
  /** Waits (bounded) until `predicate` holds. */
  async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
    for (let waited = 0; !predicate() && waited < timeoutMs; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(predicate()).toBe(true);
  }

  it("a turn the server never answers fails after `timeout` and is not re-run; the queue moves on (W3, W9)", async () => {
    let answered = 0;
    const server = await startScriptedServer((socket, message) => {
      if (message.input === "silent") return; // received, never answered
      answered += 1;
      for (const event of cannedTurn(`resp_${answered}`, "ok")) socket.send(JSON.stringify(event));
    });
    const session = new ResponsesSocket({ url: server.url, recovery: true, timeout: 200 });
    try {
      const silent = session.create({ model: "m", input: "silent" });
      const next = session.create({ model: "m", input: "next" });
      const started = Date.now();
      const error = await silent.finalResponse().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await next.finalResponse()).status).toBe("completed");
      // The silent turn reached the server once; the new connection got only the queued turn.
      expect(server.received[0]?.map((m) => m.input)).toEqual(["silent"]);
      expect(server.received[1]?.map((m) => m.input)).toEqual(["next"]);
    } finally {
      await session.close();
      await server.close();
    }
  }, 10_000);

  it("without recovery, a silent server fails the turn with APIConnectionTimeoutError instead of hanging", async () => {
    const server = await startScriptedServer(() => {});
    const session = new ResponsesSocket({ url: server.url, timeout: 150 });
    try {
      const error = await session
        .create({ model: "m", input: "x" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      expect((error as APIConnectionTimeoutError).message).toContain("150 ms");
    } finally {
      await session.close();
      await server.close();
    }
  }, 10_000);

  it("close() during a handshake that never completes returns at once and fails the turn", async () => {
    // A TCP server that accepts connections and never answers the upgrade request.
    const held = new Set<Socket>();
    const tcp = createNetServer((socket) => {
      held.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    const { port } = tcp.address() as AddressInfo;
    const session = new ResponsesSocket({ url: `ws://127.0.0.1:${port}/v1/responses`, openTimeout: 30_000 });
    try {
      const turn = session.create({ model: "m", input: "x" });
      const outcome = turn.finalResponse().catch((e: unknown) => e);
      await until(() => held.size > 0);
      const started = Date.now();
      await session.close();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await outcome).toBeInstanceOf(APIConnectionError);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  }, 10_000);

  it("W9: a turn the reader abandoned is not re-sent when the connection drops", async () => {
    let answered = 0;
    const server = await startScriptedServer((socket, message, connection) => {
      if (message.input === "abandon" && connection === 0) {
        setTimeout(() => socket.terminate(), 100);
        return;
      }
      answered += 1;
      for (const event of cannedTurn(`resp_${answered}`, "ok")) socket.send(JSON.stringify(event));
    });
    const session = new ResponsesSocket({ url: server.url, recovery: true });
    try {
      const abandoned = session.create({ model: "m", input: "abandon" });
      const next = session.create({ model: "m", input: "next" });
      await until(() => (server.received[0]?.length ?? 0) > 0);
      abandoned.abort();
      await expect(abandoned.finalResponse()).rejects.toBeInstanceOf(Error);
      expect((await next.finalResponse()).status).toBe("completed");
      expect(server.received[1]?.map((m) => m.input)).toEqual(["next"]);
    } finally {
      await session.close();
      await server.close();
    }
  }, 10_000);

  it("W9: the full context rebuilt after a drop holds the streamed items even when the terminal snapshot had none", async () => {
    let answered = 0;
    let dropped = false;
    const server = await startScriptedServer((socket, message) => {
      if (JSON.stringify(message.input).includes("drop me") && !dropped) {
        dropped = true;
        socket.terminate();
        return;
      }
      answered += 1;
      const events = cannedTurn(`resp_${answered}`, `answer ${answered}`);
      const terminal = events.at(-1) as unknown as { response: Record<string, unknown> };
      terminal.response = { ...terminal.response, output: [] };
      for (const event of events) socket.send(JSON.stringify(event));
    });
    const session = new ResponsesSocket({ url: server.url, recovery: true });
    try {
      const first = await session.create({ model: "m", input: "first", store: false }).finalResponse();
      await session
        .create({ model: "m", store: false, previous_response_id: first.id, input: "drop me" })
        .finalResponse();
      const resent = server.received[1]?.[0] as WireMessage;
      expect(resent.previous_response_id ?? null).toBeNull();
      const input = resent.input as Array<Record<string, unknown>>;
      expect(input.map((item) => item.role)).toEqual(["user", "assistant", "user"]);
      expect(input[1]).toMatchObject({ id: "msg_resp_1" });
      expect(JSON.stringify(input[1])).toContain("answer 1");
    } finally {
      await session.close();
      await server.close();
    }
  }, 10_000);

  it("connect() gives each turn the client's timeout", async () => {
    const server = await startScriptedServer(() => {});
    const client = new OpenResponses({
      baseURL: server.url.replace(/^ws/, "http").replace(/\/responses$/, ""),
      timeout: 150,
      apiKey: null,
    });
    const session = client.responses.connect();
    try {
      const error = await session
        .create({ model: "m", input: "x" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    } finally {
      await session.close();
      await server.close();
    }
  }, 10_000);
});
