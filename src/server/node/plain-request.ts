/**
 * A node:http request as the kit's plain route reads it (`PlainRequest`, kit/plain-route.ts): the
 * method, the target, header values and the body's chunks straight from the `IncomingMessage`, with no
 * `Request`, `Headers`, URL or body stream built for it.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChunkRead, ChunkReader } from "../kit/body-reader.js";
import type { PlainRequest } from "../kit/plain-route.js";

export function plainRequest(req: IncomingMessage, res: ServerResponse): PlainRequest {
  return new NodePlainRequest(req, res);
}

// A class, so an open stream keeps two fields for it rather than a closure per method.
class NodePlainRequest implements PlainRequest {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#req = req;
    this.#res = res;
  }

  get method(): string {
    return this.#req.method ?? "GET";
  }

  get target(): string {
    return this.#req.url ?? "/";
  }

  header(name: string): string | null {
    return headerValue(this.#req.rawHeaders, name);
  }

  headers(): Headers {
    // Every value of every header, as serve() gives them to a `Request` (`headersDistinct`).
    const headers = new Headers();
    const raw = this.#req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    return headers;
  }

  openBody(): ChunkReader {
    return bodyChunks(this.#req);
  }

  onClose(listener: (reason: unknown) => void): void {
    // Gone means the response closed before it finished; no signal or controller is made for it.
    const res = this.#res;
    const gone = () => {
      if (!res.writableFinished) listener(new Error("The client disconnected."));
    };
    // `on`, not `once`: a response closes once, and `once` would wrap the listener for each request.
    if (res.closed) gone();
    else res.on("close", gone);
  }
}

/**
 * Every value of a header joined by ", ", as `Headers.get` gives it from the `Request` serve() builds out
 * of `headersDistinct` (Node's `headers` keeps only the first of some repeated headers). Read from the
 * raw list, so no header object is built and kept for the life of the request.
 */
function headerValue(raw: string[], name: string): string | null {
  let value: string | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!;
    // Most clients send lower-case names: those match without a lower-cased copy.
    if (key.length !== name.length || (key !== name && key.toLowerCase() !== name)) continue;
    value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]}`;
  }
  return value;
}

/**
 * Bytes the body may hold unread before the socket is paused. A small body (the usual request) is read
 * with no pause and resume; a large one never has more than this waiting beyond what the kit has read.
 */
const PAUSE_AT = 64 * 1024;

/** The body's chunks, one at a time: the socket is paused while more than `PAUSE_AT` waits to be read. */
function bodyChunks(req: IncomingMessage): ChunkReader {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let paused = false;
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const waiting = wake;
    wake = null;
    waiting?.();
  };
  const onData = (chunk: Buffer) => {
    // The Buffer itself (a Uint8Array): a view made over `chunk.buffer` would first move a small
    // chunk's bytes out of the JavaScript heap, which costs more than the rest of reading it.
    queue.push(chunk);
    queued += chunk.byteLength;
    if (queued >= PAUSE_AT && !paused) {
      paused = true;
      req.pause();
    }
    notify();
  };
  const onError = (error: unknown) => {
    failure = error;
    notify();
  };
  const onEnd = () => {
    ended = true;
    // The request lives as long as its response (a stream may be open for minutes): let go of these
    // (an IncomingMessage with no 'error' listener does not emit one).
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onError);
    notify();
  };
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", onError);
  // Not async: a chunk or the end that is here already is answered at once, with no promise.
  const read = (): ChunkRead | Promise<ChunkRead> => {
    const chunk = queue.shift();
    if (chunk !== undefined) {
      queued -= chunk.byteLength;
      return { done: false, value: chunk };
    }
    if (failure !== null) return Promise.reject(failure);
    // Node parsed the whole message and handed every byte of it over ('data' is emitted as it is
    // parsed, so nothing waits in the stream's buffer): the body is done, without waiting for 'end',
    // which comes a tick later.
    if (ended || (req.complete && req.readableLength === 0 && !paused)) return { done: true };
    return more();
  };
  const more = async (): Promise<ChunkRead> => {
    if (paused) {
      paused = false;
      req.resume();
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    return read();
  };
  return {
    read,
    async cancel() {
      // The kit stopped reading (a body over the size limit): stop reading it too.
      paused = true;
      req.pause();
    },
  };
}
