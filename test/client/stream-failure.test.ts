/**
 * A response that fails mid-stream must not end a `for await` loop as if it were complete: after every
 * event that arrived (the `error` and `response.failed` ones too), the loop throws the error that
 * `finalResponse()` rejects with. The same holds on every way to get a stream: `stream()`,
 * `create({ stream: true })` and a WebSocket turn. `response.incomplete` is not a failure.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenResponses, ResponseStreamError } from "../../src/index.js";
import { createResponsesHandler, type RunningServer, serve } from "../../src/server/index.js";
import type { Model, ModelPart } from "../../src/server/model.js";
import type { ResponseStream } from "../../src/streaming/index.js";

// "fail" streams some text, then the model throws (the kit sends `error` then `response.failed`);
// "cut" runs out of output budget (`response.incomplete`); anything else completes.
const model: Model = async function* (request): AsyncIterable<ModelPart> {
  const input = JSON.stringify(request.body.input);
  yield { type: "text", delta: "half an " };
  if (input.includes("fail")) throw new Error("the model broke");
  if (input.includes("cut")) {
    yield { type: "incomplete", reason: "max_output_tokens" };
    return;
  }
  yield { type: "text", delta: "answer" };
};

let server: RunningServer;
let client: OpenResponses;

beforeAll(async () => {
  server = await serve({ handler: createResponsesHandler({ model }), port: 0 });
  client = new OpenResponses({ baseURL: `${server.url}/v1`, apiKey: "test", maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
});

/** Runs the loop a user writes; returns the event types seen and what the loop threw (if anything). */
async function loop(stream: AsyncIterable<{ type: string }>): Promise<{ types: string[]; thrown: unknown }> {
  const types: string[] = [];
  try {
    for await (const event of stream) types.push(event.type);
    return { types, thrown: undefined };
  } catch (error) {
    return { types, thrown: error };
  }
}

function expectFailedLoop(result: { types: string[]; thrown: unknown }): ResponseStreamError {
  expect(result.types).toContain("response.output_text.delta");
  expect(result.types.slice(-2)).toEqual(["error", "response.failed"]);
  expect(result.thrown).toBeInstanceOf(ResponseStreamError);
  const error = result.thrown as ResponseStreamError;
  expect(error.partialResponse?.output).toHaveLength(1);
  return error;
}

describe("a failed response ends for-await with the error finalResponse() rejects with", () => {
  it("S8: over HTTP, on what stream() returns (not awaited)", async () => {
    const pending = client.responses.stream({ model: "m", input: "please fail" });
    const error = expectFailedLoop(await loop(pending));
    await expect(pending.finalResponse()).rejects.toBe(error);
  });

  it("S8: over HTTP, on the awaited ResponseStream", async () => {
    const stream = await client.responses.stream({ model: "m", input: "please fail" });
    const error = expectFailedLoop(await loop(stream));
    await expect(stream.finalResponse()).rejects.toBe(error);
    expect(error.kind).toBe("error_event");
  });

  it("S8: create({ stream: true })", async () => {
    const stream = await client.responses.create({ model: "m", input: "please fail", stream: true });
    const error = expectFailedLoop(await loop(stream));
    await expect(stream.finalResponse()).rejects.toBe(error);
  });

  it("S8: textDeltas() delivers the text, then throws", async () => {
    const deltas: string[] = [];
    const thrown = await (async () => {
      try {
        for await (const delta of client.responses.stream({ model: "m", input: "fail" }).textDeltas())
          deltas.push(delta);
      } catch (error) {
        return error;
      }
    })();
    expect(deltas.join("")).toBe("half an ");
    expect(thrown).toBeInstanceOf(ResponseStreamError);
  });

  it("S8: a WebSocket turn, and the session goes on", async () => {
    const session = await client.responses.connect();
    try {
      const stream: ResponseStream = session.create({ model: "m", input: "please fail" });
      const error = expectFailedLoop(await loop(stream));
      await expect(stream.finalResponse()).rejects.toBe(error);
      const next = await loop(session.create({ model: "m", input: "again" }));
      expect(next.thrown).toBeUndefined();
      expect(next.types.at(-1)).toBe("response.completed");
    } finally {
      await session.close();
    }
  });

  it("S9: response.incomplete ends the loop normally", async () => {
    const stream = client.responses.stream({ model: "m", input: "cut it" });
    const result = await loop(stream);
    expect(result.thrown).toBeUndefined();
    expect(result.types.at(-1)).toBe("response.incomplete");
    expect((await stream.finalResponse()).status).toBe("incomplete");
  });

  it("a completed response ends the loop normally", async () => {
    const result = await loop(client.responses.stream({ model: "m", input: "hello" }));
    expect(result.thrown).toBeUndefined();
    expect(result.types.at(-1)).toBe("response.completed");
  });

  it("toReadableStream() passes a failure on as its events and [DONE], without erroring the bytes", async () => {
    const stream = await client.responses.stream({ model: "m", input: "fail" });
    const text = await new Response(stream.toReadableStream()).text();
    expect(text).toContain("event: response.failed");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });
});
