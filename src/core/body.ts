/**
 * Reading an answer body with a bound. `Response.text()` reads whatever the server sends, so a body that
 * never ends grows the heap until the process dies; these readers stop at a byte count and cancel.
 */

import { ResponseTooLargeError } from "../errors.js";

const BODY_HEAD_CHARS = 2000;
const HEAD_BYTES = 8192;

/**
 * The body as text, or a `ResponseTooLargeError` (`maxBodyBytes`) once it passes `limit` bytes. A
 * declared `Content-Length` above the bound fails before anything is read.
 */
export async function readBodyWithin(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared >= 0 && declared > limit) {
    await discard(response);
    throw tooLarge(limit, declared, "");
  }
  const { text, cut, received } = await readUpTo(response, limit);
  if (cut) throw tooLarge(limit, received, text);
  return text;
}

/** The body as text, cut at `limit` bytes (error answers: their start says what went wrong). */
export async function readBodyCut(response: Response, limit: number): Promise<string> {
  return (await readUpTo(response, limit, true)).text;
}

/** Cancels a body nobody will read, so the connection is released. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
}

async function readUpTo(
  response: Response,
  limit: number,
  keepCut = false,
): Promise<{ text: string; cut: boolean; received: number }> {
  const body = response.body;
  if (!body) return { text: "", cut: false, received: 0 };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      const keep = value.byteLength - (received - limit);
      if (keep > 0) chunks.push(value.subarray(0, keep));
      cut = true;
      reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
  }
  const decoder = new TextDecoder();
  if (cut && !keepCut) {
    // Only the start is shown (in the error): decoding all of a body at its bound would cost as much again.
    let head = "";
    for (const chunk of chunks) {
      head += decoder.decode(chunk.subarray(0, HEAD_BYTES), { stream: true });
      if (head.length >= BODY_HEAD_CHARS) break;
    }
    return { text: head, cut, received };
  }
  if (chunks.length === 1) return { text: decoder.decode(chunks[0]), cut, received };
  let text = "";
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  text += decoder.decode();
  return { text, cut, received };
}

function tooLarge(limit: number, received: number, text: string): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `The response body is larger than maxBodyBytes (${limit} bytes); the request was cancelled.`,
    {
      limitName: "maxBodyBytes",
      limit,
      receivedBytes: received,
      partialResponse: null,
      body: text.slice(0, BODY_HEAD_CHARS),
    },
  );
}
