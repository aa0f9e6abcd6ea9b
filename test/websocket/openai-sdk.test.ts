/**
 * The official `openai` SDK (v6) has a WebSocket client for Responses, `ResponsesWS` from
 * `openai/resources/responses/ws`, built on the `ws` package, so it runs on Node 20. It is a raw event
 * emitter (no ResponseStream, no final response); these tests drive it against our server.
 */

import OpenAI from "openai";
import { ResponsesWS } from "openai/resources/responses/ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptedModel, startWsServer, type WsTestServer } from "./helpers.js";

interface SdkEvent {
  type: string;
  sequence_number?: number;
  response?: { id: string; status: string; output: unknown[] };
  error?: { code?: string };
  status?: number;
}

const KEY = "sk-sdk-test-key-0123456789";

/** Events of one turn, up to its terminal event or an error envelope (bounded by time). */
function nextTurn(socket: ResponsesWS): Promise<SdkEvent[]> {
  return new Promise((resolve, reject) => {
    const events: SdkEvent[] = [];
    const timer = setTimeout(() => reject(new Error("turn timed out")), 5000);
    const onEvent = (event: SdkEvent) => {
      events.push(event);
      const terminal = ["response.completed", "response.incomplete", "response.failed"].includes(event.type);
      const envelope = event.type === "error" && typeof event.sequence_number !== "number";
      if (terminal || envelope) {
        clearTimeout(timer);
        socket.off("event", onEvent as never);
        resolve(events);
      }
    };
    socket.on("event", onEvent as never);
  });
}

describe("openai SDK ResponsesWS against our server", () => {
  let server: WsTestServer;

  beforeAll(async () => {
    server = await startWsServer(
      scriptedModel(() => [{ type: "text", delta: "from our server" }]),
      { apiKey: KEY },
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it("W1/W2: runs turns, authenticates with its Bearer header, continues a store:false chain (W4)", async () => {
    const client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: KEY });
    const socket = new ResponsesWS(client);
    const errors: unknown[] = [];
    socket.on("error", (error) => errors.push(error));
    try {
      const first = nextTurn(socket);
      socket.send({ type: "response.create", model: "m", input: "hi", store: false });
      const events = await first;
      expect(events[0]?.type).toBe("response.created");
      const completed = events.at(-1);
      expect(completed?.type).toBe("response.completed");
      expect(JSON.stringify(completed?.response?.output)).toContain("from our server");

      const second = nextTurn(socket);
      socket.send({
        type: "response.create",
        model: "m",
        store: false,
        previous_response_id: completed?.response?.id,
        input: "again",
      });
      expect((await second).at(-1)?.type).toBe("response.completed");
      expect(errors).toEqual([]);
    } finally {
      socket.close();
    }
  });

  it("W8: our error envelopes reach the SDK's error listener with their code", async () => {
    const client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: KEY });
    const socket = new ResponsesWS(client);
    const errors: Array<{ error?: SdkEvent }> = [];
    socket.on("error", (error) => errors.push(error as never));
    try {
      const turn = nextTurn(socket);
      socket.send({ type: "response.create", model: "m", input: "x", previous_response_id: "resp_unknown" });
      const [envelope] = await turn;
      expect(envelope).toMatchObject({
        type: "error",
        status: 400,
        error: { code: "previous_response_not_found" },
      });
      expect(errors[0]?.error?.error?.code).toBe("previous_response_not_found");
    } finally {
      socket.close();
    }
  });
});
