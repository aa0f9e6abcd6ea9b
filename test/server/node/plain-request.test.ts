/**
 * serve()'s plain route reads a request's body from the `IncomingMessage` itself. A body Node has parsed
 * to its end is done at once, without waiting for 'end' (a tick later); one with bytes still in the
 * stream's buffer, or one still arriving, is not. Driven with a stand-in message, so each state is exact.
 */

import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { plainRequest } from "../../../src/server/node/plain-request.js";

class Message extends EventEmitter {
  complete = false;
  readableLength = 0;
  pauses = 0;
  rawHeaders: string[] = [];
  pause(): this {
    this.pauses++;
    return this;
  }
  resume(): this {
    return this;
  }
}

function reader(message: Message) {
  const request = plainRequest(message as unknown as IncomingMessage, {} as ServerResponse);
  return request.openBody();
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** What `read` gives within `ms` milliseconds, or "waited". */
function within<T>(read: T | Promise<T>, ms = 200): Promise<T | "waited"> {
  return Promise.race([read, new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), ms))]);
}

describe("serve()'s plain request body", () => {
  it("is done as soon as Node has parsed the whole message, before 'end'", async () => {
    const message = new Message();
    const body = reader(message);
    const first = body.read();
    message.emit("data", bytes('{"input":"hi"}'));
    message.complete = true;
    expect(await first).toEqual({ done: false, value: bytes('{"input":"hi"}') });
    // No 'end' yet: the second read must not wait for it.
    expect(await within(body.read())).toEqual({ done: true });
  });

  it("waits while bytes are still in the stream's buffer or still arriving", async () => {
    const message = new Message();
    const body = reader(message);
    message.emit("data", bytes("ab"));
    expect(await body.read()).toEqual({ done: false, value: bytes("ab") });
    // Parsed to the end, but some bytes not yet handed over: the reader waits for them.
    message.complete = true;
    message.readableLength = 2;
    const next = body.read();
    expect(await within(next, 50)).toBe("waited");
    message.readableLength = 0;
    message.emit("data", bytes("cd"));
    expect(await next).toEqual({ done: false, value: bytes("cd") });
    expect(await within(body.read())).toEqual({ done: true });
  });

  it("waits for the rest of a message still being parsed", async () => {
    const message = new Message();
    const body = reader(message);
    message.emit("data", bytes("ab"));
    expect(await body.read()).toEqual({ done: false, value: bytes("ab") });
    const next = body.read();
    expect(await within(next, 50)).toBe("waited");
    message.emit("end");
    expect(await next).toEqual({ done: true });
  });
});
