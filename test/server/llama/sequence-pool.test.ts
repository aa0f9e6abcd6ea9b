/**
 * The pool that lends the loaded context's sequences to requests: waiting in order, leaving on abort,
 * preferring the sequence that already holds the prompt's prefix, and closing.
 */

import { describe, expect, it } from "vitest";
import { SequencePool } from "../../../src/server/llama/sequence-pool.js";

const never = new AbortController().signal;

describe("SequencePool", () => {
  it("lends each item once; further requests wait in arrival order", async () => {
    const pool = new SequencePool(["a", "b"]);
    const first = await pool.acquire(never);
    const second = await pool.acquire(never);
    expect([first, second].sort()).toEqual(["a", "b"]);
    const order: string[] = [];
    const third = pool.acquire(never).then((item) => order.push(`third:${item}`));
    const fourth = pool.acquire(never).then((item) => order.push(`fourth:${item}`));
    expect(pool.waiting).toBe(2);
    pool.release(first);
    pool.release(second);
    await Promise.all([third, fourth]);
    expect(order).toEqual([`third:${first}`, `fourth:${second}`]);
  });

  it("a waiter whose request is aborted leaves the queue at once", async () => {
    const pool = new SequencePool(["only"]);
    const held = await pool.acquire(never);
    const client = new AbortController();
    const waiting = pool.acquire(client.signal);
    client.abort(new Error("client left"));
    await expect(waiting).rejects.toThrow("client left");
    expect(pool.waiting).toBe(0);
    pool.release(held);
    await expect(pool.acquire(never)).resolves.toBe("only");
  });

  it("prefers the free item with the best affinity (the longest reused prompt prefix)", async () => {
    const pool = new SequencePool([{ prefix: 3 }, { prefix: 40 }, { prefix: 7 }]);
    await expect(pool.acquire(never, (item) => item.prefix)).resolves.toEqual({ prefix: 40 });
  });

  it("idle() resolves when every item is back; close() refuses waiters and later requests", async () => {
    const pool = new SequencePool(["x"]);
    const held = await pool.acquire(never);
    let idle = false;
    const idlePromise = pool.idle().then(() => {
      idle = true;
    });
    const waiting = pool.acquire(never);
    pool.close(new Error("closed"));
    await expect(waiting).rejects.toThrow("closed");
    await expect(pool.acquire(never)).rejects.toThrow("closed");
    expect(idle).toBe(false);
    pool.release(held);
    await idlePromise;
    expect(idle).toBe(true);
  });
});
