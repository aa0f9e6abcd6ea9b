/**
 * Writes an answer to a node:http response: a fetch `Response`, or a `KitAnswer` the kit built without
 * one (its JSON text leaves with the headers in one write, its event stream as text chunks with no byte
 * stream in between). A streamed body is written chunk by chunk, waiting for `drain`, so a slow client
 * applies backpressure all the way to the model; when the client goes away (the response closes before
 * it has finished), the body is cancelled, which stops the model.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChunkSource, KitAnswer } from "../kit/answer.js";

export async function writeResponse(
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const setCookies = response.headers.getSetCookie?.() ?? [];
  if (setCookies.length > 0) headers["set-cookie"] = setCookies;
  const body = response.body === null ? null : readerSource(response.body.getReader());
  await writeAnswer({ status: response.status, headers, body }, req, res);
}

/** A `KitAnswer`, or a `Response`'s parts: headers may repeat (`set-cookie`), chunks may be bytes. */
interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: string | ChunkSource<string | Uint8Array> | null;
}

function readerSource(reader: ReadableStreamDefaultReader<Uint8Array>): ChunkSource<Uint8Array> {
  return {
    next: () => reader.read().then((step) => (step.done ? null : step.value)),
    ended: false,
    cancel: (reason) => reader.cancel(reason),
  };
}

/** Writes `answer`; a whole one (a JSON text) at once, with nothing left to wait for. */
export function writeAnswer(
  answer: Answer | KitAnswer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> | undefined {
  const headers = answer.headers;
  // A request body the handler did not read to the end (a 413) cannot be reused on a keep-alive socket.
  const unread = !req.complete;
  if (unread) headers.connection = "close";
  const body = answer.body;
  if (typeof body !== "string") return writeStream(answer.status, headers, body, unread, req, res);
  // A whole answer says its length, so it goes out in one write with no chunk framing for the client
  // to read. Its bytes, when the kit made them (the store keeps the same), are written as they are:
  // the text is not measured and encoded again. 204 and 304 carry no body and must not say a length.
  const bytes = "bytes" in answer ? answer.bytes : undefined;
  if (answer.status !== 204 && answer.status !== 304 && headers["content-length"] === undefined) {
    headers["content-length"] = String(bytes === undefined ? Buffer.byteLength(body) : bytes.byteLength);
  }
  res.writeHead(answer.status, headers);
  res.end(bytes ?? body);
  if (unread) res.once("finish", () => req.destroy());
  return undefined;
}

/** Writes the head, then the body as it comes, chunk by chunk. */
async function writeStream(
  status: number,
  headers: Answer["headers"],
  body: ChunkSource<string | Uint8Array> | null,
  unread: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  res.writeHead(status, headers);
  res.flushHeaders();
  if (body === null) {
    res.end();
    return;
  }
  let gone = false;
  const cancel = () => {
    if (res.writableFinished) return;
    gone = true;
    Promise.resolve(body.cancel(new Error("The client disconnected."))).catch(() => {});
  };
  if (res.closed) cancel();
  else res.once("close", cancel);
  // Chunks that are ready together leave in one write: the socket is corked for the rest of the
  // current turn of the event loop, and uncorked at once when the buffer is full.
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    res.uncork();
  };
  // Written in a callback, so a chunk never stays in this function's suspended frame: an open stream
  // would otherwise hold its last chunk for as long as it waits for the next.
  const write = (chunk: string | Uint8Array | null): "end" | "more" | "full" => {
    if (chunk === null) return "end";
    if (!corked) {
      corked = true;
      res.cork();
      setImmediate(uncork);
    }
    const written = res.write(chunk);
    if (body.ended) return "end";
    return written ? "more" : "full";
  };
  try {
    for (;;) {
      const outcome = await body.next().then(write);
      if (outcome === "end") break;
      if (outcome === "full") {
        uncork();
        if (!gone) await drainOrClose(res);
      }
      if (gone) return;
    }
    uncork();
    res.end();
  } catch {
    // The body failed or was cancelled because the client went away; nothing more can be sent.
    res.destroy();
  } finally {
    res.off("close", cancel);
    if (unread) res.once("finish", () => req.destroy());
  }
}

/** Waits for `drain` (the client caught up) or `close` (it went away), leaving no listener behind. */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
