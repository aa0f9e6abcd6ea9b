/**
 * The bodies the transport reads only to report them: an error answer's, read up to its bound and cut
 * there, and a JSON answer's past `maxBodyBytes`, whose error quotes its start. What is made of them is
 * loaded on demand (`core/rare-answers.ts`); the bytes are read, and the rest cancelled, before.
 */

import { describe, expect, it } from "vitest";
import { APIError, ResponseTooLargeError } from "../../src/errors.js";
import { clientAnswering } from "../support/answering-client.js";
import { rejection } from "../support/thrown.js";

/** A body in these chunks (UTF-8), one per pull, recording whether the client cancelled it. */
function chunked(parts: string[], status = 200, headers: Record<string, string> = {}) {
  const state = { cancelled: false, pulled: 0 };
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[state.pulled++];
      if (part === undefined) controller.close();
      else controller.enqueue(encoder.encode(part));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { state, response: () => new Response(body, { status, headers }) };
}

describe("an error answer's body is read up to its bound and cut there", () => {
  it("keeps exactly the first maxBodyBytes bytes, across chunks, and cancels the rest (rule E1)", async () => {
    const body = chunked(["a".repeat(30), "b".repeat(30), "c".repeat(30), "d".repeat(30)], 400);
    const failure = await rejection(
      clientAnswering(body.response).responses.create({ model: "m", input: "hi" }, { maxBodyBytes: 70 }),
    );
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).body).toBe(`${"a".repeat(30)}${"b".repeat(30)}${"c".repeat(10)}`);
    expect(body.state.cancelled).toBe(true);
  });

  it("a character cut at the bound ends the text as a replacement character (rule E1)", async () => {
    // "é" is two bytes: the bound falls between them.
    const body = chunked(["ab", "é", "cd"], 400);
    const failure = await rejection(
      clientAnswering(body.response).responses.create({ model: "m", input: "hi" }, { maxBodyBytes: 3 }),
    );
    expect((failure as APIError).body).toBe("ab\uFFFD");
  });

  it("an answer read whole is kept whole, characters split between chunks included (rule E1)", async () => {
    const bytes = new TextEncoder().encode('{"error":{"message":"café"}}');
    const split = bytes.indexOf(0xc3) + 1;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, split));
        controller.enqueue(bytes.subarray(split));
        controller.close();
      },
    });
    const failure = await rejection(
      clientAnswering(() => new Response(stream, { status: 400 })).responses.create({
        model: "m",
        input: "hi",
      }),
    );
    expect((failure as APIError).message).toBe("400 café");
  });
});

describe("a JSON answer past maxBodyBytes", () => {
  it("fails with its start as the error's body, read across chunks, and cancels the rest", async () => {
    const body = chunked(['{"id":"resp_1",', '"pad":"', "x".repeat(5000), '"}']);
    const failure = await rejection(
      clientAnswering(body.response).responses.create({ model: "m", input: "hi" }, { maxBodyBytes: 1000 }),
    );
    expect(failure).toBeInstanceOf(ResponseTooLargeError);
    const tooLarge = failure as ResponseTooLargeError;
    expect(tooLarge.limit).toBe(1000);
    expect(tooLarge.receivedBytes).toBe(15 + 7 + 5000);
    // Cut at the bound, then at 2000 characters: the first 1000 bytes.
    expect(tooLarge.body).toBe(`{"id":"resp_1","pad":"${"x".repeat(1000 - 22)}`);
    expect(tooLarge.message).toBe(
      "The response body is larger than maxBodyBytes (1000 bytes); the request was cancelled.",
    );
    expect(body.state.cancelled).toBe(true);
  });

  it("holds no more than the bound when the body is shorter than 2000 characters", async () => {
    const body = chunked(['{"id":"resp_1",', '"pad":"xxxxxxxxxx"}']);
    const failure = await rejection(
      clientAnswering(body.response).responses.create({ model: "m", input: "hi" }, { maxBodyBytes: 20 }),
    );
    expect((failure as ResponseTooLargeError).body).toBe('{"id":"resp_1","pad"');
    expect((failure as ResponseTooLargeError).receivedBytes).toBe(34);
  });

  it("fails on a declared Content-Length over the bound without reading the body", async () => {
    const body = chunked(['{"id":"resp_1"}'], 200, { "content-length": "5000" });
    const failure = await rejection(
      clientAnswering(body.response).responses.create({ model: "m", input: "hi" }, { maxBodyBytes: 1000 }),
    );
    expect(failure).toBeInstanceOf(ResponseTooLargeError);
    expect((failure as ResponseTooLargeError).receivedBytes).toBe(5000);
    expect((failure as ResponseTooLargeError).body).toBe("");
    expect(body.state.cancelled).toBe(true);
  });
});

describe("a JSON answer within maxBodyBytes", () => {
  it("is read whole from its chunks, a character split between two of them included", async () => {
    const text = JSON.stringify({
      id: "resp_1",
      object: "response",
      status: "completed",
      output: [],
      note: "café ☕",
    });
    const bytes = new TextEncoder().encode(text);
    const splitAt = [bytes.indexOf(0xc3) + 1, bytes.indexOf(0xe2) + 2];
    const pieces = [
      bytes.subarray(0, splitAt[0]),
      bytes.subarray(splitAt[0], splitAt[1]),
      bytes.subarray(splitAt[1]),
    ];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    const client = clientAnswering(
      () => new Response(stream, { status: 200, headers: { "content-type": "application/json" } }),
    );
    const response = await client.responses.create({ model: "m", input: "hi" });
    expect((response as unknown as { note: string }).note).toBe("café ☕");
  });

  it("is read whole when it is one chunk, and when it is empty", async () => {
    const one = chunked([
      JSON.stringify({ id: "resp_2", object: "response", status: "completed", output: [] }),
    ]);
    const response = await clientAnswering(one.response).responses.create({ model: "m", input: "hi" });
    expect(response.id).toBe("resp_2");
    const empty = chunked([]);
    // An empty body is not JSON: the error says so rather than failing on the decode.
    await expect(
      clientAnswering(empty.response).responses.create({ model: "m", input: "hi" }),
    ).rejects.toBeInstanceOf(APIError);
  });
});
