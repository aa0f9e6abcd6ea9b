/**
 * The wiring: `client.responses.connect()` against `openresponses serve`'s server (the built-in model,
 * WebSocket mode attached by `serve()`), the address rule, and SSE and WebSocket carrying the same turn.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBuiltInServer } from "../../src/cli/serve.js";
import { OpenResponses } from "../../src/client/index.js";
import { Conversation } from "../../src/conversation/index.js";
import { AuthenticationError } from "../../src/errors.js";
import type { RunningServer } from "../../src/server/index.js";
import { websocketURL } from "../../src/websocket/url.js";

const KEY = "sk-integration-key-abcdef123456";

describe("client.responses.connect() against openresponses serve", () => {
  let server: RunningServer;
  let client: OpenResponses;

  beforeAll(async () => {
    server = await startBuiltInServer({ port: 0, host: "127.0.0.1", apiKey: KEY });
    client = new OpenResponses({
      baseURL: `${server.url}/v1`,
      apiKey: KEY,
      model: "openresponses-mock",
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it("W1: connects to {base}/responses with the client's key and default model", async () => {
    const session = client.responses.connect();
    try {
      expect(session.url).toBe(`${server.url.replace("http", "ws")}/v1/responses`);
      const stream = session.create({ input: "Say hello" });
      const final = await stream.finalResponse();
      expect(final.status).toBe("completed");
      expect(final.model).toBe("openresponses-mock");
      expect(stream.text.length).toBeGreaterThan(0);
    } finally {
      await session.close();
    }
  });

  it("W2: the same request gives the same output over SSE and over the WebSocket", async () => {
    const body = { input: "What is 2 + 3?", store: false } as const;
    const sse = await client.responses.stream(body).finalResponse();
    const session = client.responses.connect();
    try {
      const ws = await session.create(body).finalResponse();
      const strip = (response: typeof sse) =>
        JSON.stringify(response.output, (key, value) => (key === "id" ? undefined : value));
      expect(strip(ws)).toBe(strip(sse));
    } finally {
      await session.close();
    }
  });

  it("a wrong key is refused at the upgrade, and the error does not contain it", async () => {
    const wrong = new OpenResponses({
      baseURL: `${server.url}/v1`,
      apiKey: "sk-wrong-0000000000000",
      maxRetries: 0,
    });
    const session = wrong.responses.connect();
    try {
      const error = await session
        .create({ input: "x" })
        .finalResponse()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(String(error)).not.toContain("sk-wrong-0000000000000");
    } finally {
      await session.close();
    }
  });

  it("a Conversation runs over a connect() session with previous_response_id (W4, store:false)", async () => {
    const session = client.responses.connect();
    try {
      const convo = new Conversation(client, { transport: session, defaults: { store: false } });
      const first = await convo.send("My name is Ada.");
      const second = await convo.send("What is my name?");
      expect(convo.previousResponseId).toBe(second.id);
      expect(second.id).not.toBe(first.id);
      expect(convo.items.length).toBeGreaterThanOrEqual(4);
    } finally {
      await session.close();
    }
  });
});

describe("websocketURL", () => {
  it("maps http to ws and https to wss, appends /responses, keeps the query", () => {
    expect(websocketURL("http://127.0.0.1:8080/v1")).toBe("ws://127.0.0.1:8080/v1/responses");
    expect(websocketURL("https://api.example.com/v1", { "api-version": "2026-04-24" })).toBe(
      "wss://api.example.com/v1/responses?api-version=2026-04-24",
    );
  });
});
