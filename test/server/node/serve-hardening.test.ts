/** `serve()` against requests and handlers that could crash a careless server, and a close() called twice. */

import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import { scriptedModel } from "../kit/helpers.js";

/** Sends raw bytes and returns what came back, within a time bound. */
function rawExchange(port: number, text: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8");
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

const statusOf = (raw: string) => Number(raw.split(" ")[1]);

describe("serve: requests that do not form a web Request", () => {
  let server: RunningServer;
  beforeAll(async () => {
    const handler = createResponsesHandler({ model: scriptedModel([{ type: "text", delta: "Hello" }]) });
    server = await serve({ handler, port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it("a Host header that is not a valid host is ignored, not a 500", async () => {
    const body = JSON.stringify({ input: "hi" });
    const raw = await rawExchange(
      server.port,
      `POST /v1/responses HTTP/1.1\r\nHost: not a host\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(statusOf(raw)).toBe(200);
    expect(raw).toContain('"status":"completed"');
  });

  it("a method fetch refuses (TRACE) is a 400 spec error, not a 500", async () => {
    const raw = await rawExchange(
      server.port,
      "TRACE /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    expect(statusOf(raw)).toBe(400);
    const json = JSON.parse(
      raw.slice(raw.indexOf("\r\n\r\n") + 4).replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, ""),
    );
    expect(json).toMatchObject({ error: { type: "invalid_request" } });
  });
});

describe("serve: a handler that breaks its contract", () => {
  it("a handler resolving to something that is not a Response is a 500, and the server keeps serving", async () => {
    const broken = await serve({
      handler: (async () => undefined) as unknown as (request: Request) => Promise<Response>,
      port: 0,
    });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${broken.url}/v1/responses`, {
          method: "POST",
          body: "{}",
          signal: AbortSignal.timeout(3000),
        });
        expect(response.status).toBe(500);
        expect(await response.json()).toMatchObject({ error: { type: "server_error" } });
      }
    } finally {
      await broken.close();
    }
  });
});

describe("serve: close()", () => {
  it("close() twice resolves both times", async () => {
    const own = await serve({ handler: async () => new Response("ok"), port: 0 });
    await Promise.all([own.close(), own.close()]);
    await expect(own.close()).resolves.toBeUndefined();
    expect(own.server.listening).toBe(false);
  });
});
