/**
 * `ReadAhead`, the byte source a stream reads through: it takes a body in until a consumer arrives
 * (bounded), then hands out what it read, in order, before reading the source again; a failed read
 * reaches the consumer in its turn, and a read under way when the consumer arrives is not made twice.
 */

import { describe, expect, it } from "vitest";
import { type ByteReader, ReadAhead } from "../../src/streaming/read-ahead.js";

type Result = ReadableStreamReadResult<Uint8Array>;

/** A source whose reads the test answers one by one, counting them. */
function source() {
  const pending: Array<{ resolve: (result: Result) => void; reject: (error: unknown) => void }> = [];
  const reader: ByteReader & { reads: number } = {
    reads: 0,
    read: () => {
      reader.reads += 1;
      return new Promise<Result>((resolve, reject) => pending.push({ resolve, reject }));
    },
    cancel: async () => undefined,
  };
  const answer = (result: Result | Error): void => {
    const next = pending.shift();
    if (!next) throw new Error("no read to answer");
    if (result instanceof Error) next.reject(result);
    else next.resolve(result);
  };
  return { reader, answer };
}

const bytes = (...values: number[]): Result => ({ done: false, value: new Uint8Array(values) });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("ReadAhead", () => {
  it("reads ahead until its limit, then hands out what it read in order before reading the source", async () => {
    const { reader, answer } = source();
    const ahead = new ReadAhead(reader, 3);
    answer(bytes(1, 2));
    await settle();
    answer(bytes(3, 4));
    await settle();
    // 4 bytes held, past the limit of 3: no third read until a consumer asks.
    expect(reader.reads).toBe(2);
    expect(await ahead.read()).toEqual(bytes(1, 2));
    expect(await ahead.read()).toEqual(bytes(3, 4));
    const third = ahead.read();
    expect(reader.reads).toBe(3);
    answer({ done: true, value: undefined });
    expect(await third).toEqual({ done: true, value: undefined });
  });

  it("hands a consumer the read under way rather than reading again", async () => {
    const { reader, answer } = source();
    const ahead = new ReadAhead(reader, 1000);
    answer(bytes(1));
    await settle();
    expect(reader.reads).toBe(2);
    expect(await ahead.read()).toEqual(bytes(1));
    const second = ahead.read();
    answer(bytes(2));
    expect(await second).toEqual(bytes(2));
    await settle();
    // Reading ahead stopped with the consumer's first read: the second came from the read under way.
    expect(reader.reads).toBe(2);
  });

  it("hands a failed read's error over after what was read before it, then reads the source again", async () => {
    const { reader, answer } = source();
    const ahead = new ReadAhead(reader, 1000);
    answer(bytes(7));
    await settle();
    answer(new Error("connection reset"));
    await settle();
    expect(reader.reads).toBe(2);
    expect(await ahead.read()).toEqual(bytes(7));
    await expect(ahead.read()).rejects.toThrow("connection reset");
    const after = ahead.read();
    expect(reader.reads).toBe(3);
    answer({ done: true, value: undefined });
    expect(await after).toEqual({ done: true, value: undefined });
  });
});
