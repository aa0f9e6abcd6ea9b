/**
 * A node:http request as the kit's plain route reads it (`PlainRequest`, kit/plain-route.ts): the
 * method, the target, header values and the body's chunks straight from the `IncomingMessage`, with no
 * `Request`, `Headers`, URL or body stream built for it.
 */

import type { IncomingMessage } from "node:http";
import type { ChunkReader } from "../kit/body-reader.js";
import type { PlainRequest } from "../kit/plain-route.js";

export function plainRequest(req: IncomingMessage, signal: AbortSignal): PlainRequest {
  return {
    method: req.method ?? "GET",
    target: req.url ?? "/",
    // Every value of a repeated header, as `serve()` gives them to a `Request` (`Headers.get` joins them).
    header: (name) => req.headersDistinct[name]?.join(", ") ?? null,
    openBody: () => bodyChunks(req),
    signal,
  };
}

/** The body's chunks, one at a time: the socket is paused while a chunk waits to be read. */
function bodyChunks(req: IncomingMessage): ChunkReader {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const waiting = wake;
    wake = null;
    waiting?.();
  };
  const onData = (chunk: Buffer) => {
    queue.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    req.pause();
    notify();
  };
  const onEnd = () => {
    ended = true;
    // The request lives as long as its response (a stream may be open for minutes): let go of these.
    req.off("data", onData);
    req.off("end", onEnd);
    notify();
  };
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", (error) => {
    failure = error;
    notify();
  });
  return {
    async read() {
      for (;;) {
        const chunk = queue.shift();
        if (chunk !== undefined) return { done: false, value: chunk };
        if (failure !== null) throw failure;
        if (ended) return { done: true };
        req.resume();
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async cancel() {
      // The kit stopped reading (a body over the size limit): stop reading it too.
      req.pause();
    },
  };
}
