/**
 * Reading an answer body with a bound. `Response.text()` reads whatever the server sends, so a body that
 * never ends grows the heap until the process dies; these readers stop at a byte count and cancel. What
 * is made of a body past its bound, and of an error answer's cut body, is the exception: `rare-answers.ts`,
 * loaded when one arrives.
 */

import { loadOnDemand } from "./load-on-demand.js";

/** What `readChunks` read: the chunks in order and their bytes (past the bound, the last chunk whole). */
export interface ReadChunks {
  chunks: Uint8Array[];
  received: number;
}

/**
 * The body as text, or a `ResponseTooLargeError` (`maxBodyBytes`) once it passes `limit` bytes. A
 * declared `Content-Length` above the bound fails before anything is read.
 */
export async function readBodyWithin(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  let body: ReadChunks;
  if (Number.isFinite(declared) && declared >= 0 && declared > limit) {
    await discard(response);
    body = { chunks: [], received: declared };
  } else {
    body = await readChunks(response, limit);
  }
  if (body.received > limit) throw (await loadOnDemand("this answer")).bodyTooLarge(body, limit);
  return textOf(body.chunks, body.received);
}

/**
 * The chunks as text, decoded in one call: a streaming decode (`stream: true`) leaves TextDecoder's fast
 * path (about ten times slower on a JSON answer of a few KB in Node 20), and most answers arrive as one
 * chunk anyway. `total`: the chunks' bytes. A character cut at the end becomes U+FFFD.
 */
export function textOf(chunks: Uint8Array[], total: number): string {
  let bytes = chunks[0];
  if (chunks.length > 1) {
    bytes = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Reads the body until it ends or passes `limit` bytes; past the bound the rest is cancelled unread (the
 * connection is released before anything is made of what was read).
 */
export async function readChunks(response: Response, limit: number): Promise<ReadChunks> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      if (received > limit) {
        reader.cancel().catch(() => undefined);
        break;
      }
    }
  }
  return { chunks, received };
}

/** Cancels a body nobody will read, so the connection is released. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to release.
  }
}
