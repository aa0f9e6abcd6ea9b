/**
 * The `dialect` option: the specification's event names by default; with `"openai"`, reasoning text
 * streams as `response.reasoning_text.delta/.done` (OpenAI's names), over SSE and WebSocket alike, and
 * nothing else changes.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { OpenResponses } from "../../../src/client/index.js";
import {
  createResponsesEngine,
  createResponsesHandler,
  type RunningServer,
  sequentialIds,
  serve,
} from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { FIXED_NOW, parseSSE, post } from "./helpers.js";

const REASONING = { input: "what is 12 * 7?", reasoning: { effort: "low", summary: "auto" }, stream: true };

async function sseTypes(dialect?: "spec" | "openai") {
  const handler = createResponsesHandler({
    model: mockModel(),
    idGenerator: sequentialIds(),
    now: () => FIXED_NOW,
    ...(dialect ? { dialect } : {}),
  });
  const response = await handler(post("/v1/responses", REASONING));
  return parseSSE(await response.text())
    .filter((message) => message.data !== "[DONE]")
    .map((message) => ({ event: message.event, data: JSON.parse(message.data) as Record<string, unknown> }));
}

describe("dialect", () => {
  it('default ("spec"): reasoning streams as response.reasoning.delta/.done', async () => {
    const types = (await sseTypes()).map((message) => message.data.type);
    expect(types).toContain("response.reasoning.delta");
    expect(types).toContain("response.reasoning.done");
    expect(types.some((type) => String(type).startsWith("response.reasoning_text"))).toBe(false);
  });

  it('"openai": the same stream with reasoning_text names (type and SSE event: line), nothing else changed', async () => {
    const spec = await sseTypes("spec");
    const openai = await sseTypes("openai");
    const renamed: Record<string, string> = {
      "response.reasoning.delta": "response.reasoning_text.delta",
      "response.reasoning.done": "response.reasoning_text.done",
    };
    expect(openai.map((message) => message.data)).toEqual(
      spec.map((message) => ({
        ...message.data,
        type: renamed[String(message.data.type)] ?? message.data.type,
      })),
    );
    for (const message of openai) expect(message.event).toBe(message.data.type);
    // The parts stay reasoning_text parts, as OpenAI's clients expect.
    const added = openai.find(
      (message) =>
        message.data.type === "response.content_part.added" &&
        (message.data.part as { type: string }).type === "reasoning_text",
    );
    expect(added).toBeDefined();
  });

  it("an unknown dialect is refused when the handler is made, naming the accepted values", () => {
    expect(() => createResponsesEngine({ model: mockModel(), dialect: "anthropic" as "openai" })).toThrow(
      /dialect must be "spec" or "openai"/,
    );
  });

  describe("over WebSocket", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await serve({
        handler: createResponsesHandler({ model: mockModel(), dialect: "openai" }),
        port: 0,
        host: "127.0.0.1",
      });
    });
    afterAll(async () => {
      await server.close();
    });

    it("this package's client reads the openai dialect as the spec's events (reasoning included)", async () => {
      const client = new OpenResponses({ baseURL: `${server.url}/v1`, apiKey: "sk-dialect", maxRetries: 0 });
      const { stream: _stream, ...body } = REASONING;
      const stream = client.responses.stream({ ...body, model: "m" } as Parameters<
        typeof client.responses.stream
      >[0]);
      let reasoning = "";
      for await (const event of stream)
        if (event.type === "response.reasoning.delta") reasoning += event.delta;
      const final = await stream.finalResponse();
      expect(reasoning).toContain('The user wrote: "what is 12 * 7?"');
      const item = final.output.find((entry) => entry.type === "reasoning");
      expect(item?.type === "reasoning" && item.content?.[0]).toMatchObject({
        type: "reasoning_text",
        text: reasoning,
      });
    });

    it('"openai" applies to WebSocket turns too', async () => {
      const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/v1/responses`);
      const types: string[] = [];
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("no terminal event within 5 s")), 5000);
          socket.on("error", reject);
          socket.on("open", () => {
            const { stream: _stream, ...body } = REASONING;
            socket.send(JSON.stringify({ type: "response.create", ...body }));
          });
          socket.on("message", (data) => {
            const type = (JSON.parse(String(data)) as { type: string }).type;
            types.push(type);
            if (type === "response.completed" || type === "error") {
              clearTimeout(timer);
              resolve();
            }
          });
        });
      } finally {
        socket.close();
      }
      expect(types).toContain("response.reasoning_text.delta");
      expect(types).not.toContain("response.reasoning.delta");
    });
  });
});
