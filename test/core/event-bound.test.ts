/**
 * `maxEventBytes`: the largest single event the client accepts is an option (default 64 MiB), so a
 * `response.completed` that repeats large outputs can be read, and a smaller bound refuses early. The
 * decoder keeps a big event as pieces joined once: accumulating one is linear, not quadratic.
 */

import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { ResponseStreamError } from "../../src/errors.js";
import { DEFAULT_MAX_EVENT_SIZE, SSEDecoder } from "../../src/streaming/index.js";

/** An SSE body whose `response.completed` carries a message of `textChars` characters, sent in chunks. */
function bigCompletedBody(textChars: number, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  const message = {
    type: "message",
    id: "msg_1",
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text: "B".repeat(textChars), annotations: [] }],
  };
  const base = { id: "resp_1", object: "response", created_at: 1, model: "m" };
  const events = [
    {
      type: "response.created",
      sequence_number: 0,
      response: { ...base, status: "in_progress", output: [] },
    },
    {
      type: "response.completed",
      sequence_number: 1,
      response: { ...base, status: "completed", output: [message] },
    },
  ];
  const bytes = new TextEncoder().encode(
    events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(""),
  );
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

function clientWith(body: () => ReadableStream<Uint8Array>, options: { maxEventBytes?: number } = {}) {
  return new OpenResponses({
    baseURL: "http://events.test/v1",
    apiKey: null,
    maxRetries: 0,
    ...options,
    fetch: async () => new Response(body(), { headers: { "content-type": "text/event-stream" } }),
  });
}

describe("maxEventBytes", () => {
  it("defaults to 64 MiB: a 20 MiB response.completed is read", async () => {
    expect(DEFAULT_MAX_EVENT_SIZE).toBe(64 * 1024 * 1024);
    const client = clientWith(() => bigCompletedBody(20 * 1024 * 1024));
    expect(client.maxEventBytes).toBe(DEFAULT_MAX_EVENT_SIZE);
    const response = await client.responses.stream({ model: "m", input: "x" }).finalResponse();
    expect(response.output_text.length).toBe(20 * 1024 * 1024);
  }, 30_000);

  it("a smaller bound (client or request) refuses the event with a typed error that names the option", async () => {
    const client = clientWith(() => bigCompletedBody(100_000), { maxEventBytes: 50_000 });
    const error = await client.responses
      .stream({ model: "m", input: "x" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseStreamError);
    expect((error as ResponseStreamError).kind).toBe("malformed");
    expect((error as Error).message).toMatch(/maxEventBytes/);

    const perRequest = await clientWith(() => bigCompletedBody(100_000))
      .responses.stream({ model: "m", input: "x" }, { maxEventBytes: 50_000 })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(perRequest).toBeInstanceOf(ResponseStreamError);
  });

  it("must be a positive number", () => {
    expect(() => new OpenResponses({ baseURL: "http://x.test", maxEventBytes: -1 })).toThrow(/maxEventBytes/);
  });

  it("the decoder accumulates a 48 MiB event from 16 KiB chunks in linear time", () => {
    const decoder = new SSEDecoder();
    const chunk = new TextEncoder().encode("C".repeat(16 * 1024));
    const started = performance.now();
    expect(decoder.push(new TextEncoder().encode("data: "))).toEqual([]);
    for (let i = 0; i < 3 * 1024; i++) expect(decoder.push(chunk).length).toBe(0);
    const out = decoder.push(new TextEncoder().encode("\n\n"));
    expect(out[0]?.data.length).toBe(48 * 1024 * 1024);
    // Copying the buffer on every chunk would move ~75 GB here; the linear decoder takes well under a second.
    expect(performance.now() - started).toBeLessThan(8000);
  });
});
