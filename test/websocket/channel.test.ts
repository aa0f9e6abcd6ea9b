/**
 * The queue a WebSocket session routes each turn's messages into (W3): values pushed before anyone reads
 * are kept in order, a failure is raised after them and only once, and a reader that left drops the rest.
 */

import { describe, expect, it } from "vitest";
import { MessageChannel } from "../../src/websocket/channel.js";

async function readAll<T>(channel: MessageChannel<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of channel) values.push(value);
  return values;
}

describe("MessageChannel", () => {
  it("W3: values pushed before the reader arrives come out in order, then the end", async () => {
    const channel = new MessageChannel<number>();
    channel.push(1);
    channel.push(2);
    channel.end();
    channel.push(3);
    expect(await readAll(channel)).toEqual([1, 2]);
  });

  it("wakes a waiting reader for each value and for the end", async () => {
    const channel = new MessageChannel<string>();
    const reading = readAll(channel);
    await Promise.resolve();
    channel.push("a");
    await new Promise((resolve) => setTimeout(resolve, 0));
    channel.push("b");
    channel.end();
    expect(await reading).toEqual(["a", "b"]);
  });

  it("raises a failure after the buffered values, once; later reads see the end", async () => {
    const channel = new MessageChannel<number>();
    const failure = new Error("lost");
    channel.push(1);
    channel.fail(failure);
    channel.end();
    const iterator = channel[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    await expect(iterator.next()).rejects.toBe(failure);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("rejects a waiting reader when it fails with nothing buffered", async () => {
    const channel = new MessageChannel<number>();
    const next = channel[Symbol.asyncIterator]().next();
    const failure = new Error("closed");
    channel.fail(failure);
    await expect(next).rejects.toBe(failure);
  });

  it("a reader that returns early drops what is buffered and everything pushed later", async () => {
    const channel = new MessageChannel<number>();
    channel.push(1);
    const iterator = channel[Symbol.asyncIterator]();
    expect(await iterator.return?.()).toEqual({ value: undefined, done: true });
    channel.push(2);
    channel.end();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
