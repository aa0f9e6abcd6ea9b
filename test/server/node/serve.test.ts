import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import type { ModelRequest } from "../../../src/server/model.js";
import { parseSSE, scriptedModel } from "../kit/helpers.js";

/** Streams "tick" every 10 ms until aborted (bounded to 500 ticks), recording the signals it got. */
const signals: AbortSignal[] = [];
async function* slowModel(request: ModelRequest) {
  signals.push(request.signal);
  for (let i = 0; i < 500 && !request.signal.aborted; i++) {
    yield { type: "text" as const, delta: "tick " };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("serve (Node adapter)", () => {
  let server: RunningServer;
  let slow: RunningServer;

  beforeAll(async () => {
    const handler = createResponsesHandler({
      model: scriptedModel([{ type: "text", delta: "Hello" }]),
      maxBodyBytes: 1024,
    });
    server = await serve({ handler, port: 0 });
    slow = await serve({ handler: createResponsesHandler({ model: slowModel }), port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await slow?.close();
  });

  it("listens on 127.0.0.1 and reports its url", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it("serves JSON and SSE over a real socket (S1–S3)", async () => {
    const json = await fetch(`${server.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: "hi" }),
    });
    expect(json.status).toBe(200);
    expect(((await json.json()) as { status: string }).status).toBe("completed");

    const sse = await fetch(`${server.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: "hi", stream: true }),
    });
    expect(sse.headers.get("content-type")).toContain("text/event-stream");
    const messages = parseSSE(await sse.text());
    expect(messages.at(-1)?.data).toBe("[DONE]");
    expect(messages.at(-2)?.event).toBe("response.completed");
  });

  it("passes errors and headers through (405 with Allow, 404)", async () => {
    const wrong = await fetch(`${server.url}/v1/responses`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect((await fetch(`${server.url}/nope`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("a chunked body over the limit is refused with 413 while reading", async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/responses`, { method: "POST" }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      // No Content-Length: the adapter streams the body and the handler counts it.
      for (let i = 0; i < 8; i++) req.write(`${"x".repeat(255)} `);
      req.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: { code: "request_too_large" } });
  });

  it("a client that disconnects mid-stream aborts the model", async () => {
    const controller = new AbortController();
    const response = await fetch(`${slow.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: "hi", stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = "";
    for (let i = 0; i < 50 && !text.includes("output_text.delta"); i++) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    expect(text).toContain("output_text.delta");
    controller.abort();
    const signal = signals.at(-1);
    for (let i = 0; i < 100 && !signal?.aborted; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signal?.aborted).toBe(true);
  });

  it("a handler that throws is answered with a 500 spec error", async () => {
    const broken = await serve({
      handler: async () => {
        throw new Error("boom");
      },
      port: 0,
    });
    try {
      const response = await fetch(`${broken.url}/v1/responses`, { method: "POST", body: "{}" });
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe("server_error");
    } finally {
      await broken.close();
    }
  });

  it("close() ends open streams and resolves", async () => {
    const own = await serve({ handler: createResponsesHandler({ model: slowModel }), port: 0 });
    const response = await fetch(`${own.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: "hi", stream: true }),
    });
    await response.body!.getReader().read();
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(own.server.listening).toBe(false);
  });
});

describe("serve: listen errors", () => {
  it("a port in use rejects instead of crashing", async () => {
    const first = await serve({ handler: async () => new Response("ok"), port: 0 });
    try {
      await expect(
        serve({ handler: async () => new Response("ok"), port: first.port }),
      ).rejects.toMatchObject({
        code: "EADDRINUSE",
      });
    } finally {
      await first.close();
    }
  });
});
