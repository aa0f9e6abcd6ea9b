/**
 * Reads a request body as JSON without ever holding more than `maxBytes` of it: a declared
 * `Content-Length` over the limit is refused before reading, and a streamed body is cut off (and its
 * stream cancelled) as soon as it crosses the limit.
 */

import { invalidRequest, type KitError, kitError } from "./kit-error.js";

/** Shared: a decode without `stream` starts afresh, so one decoder serves every request. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** `bytes` is the body as received (the idempotency check fingerprints it). */
export type BodyResult = { ok: true; json: unknown; bytes: Uint8Array } | { ok: false; error: KitError };

/** One read of a body: a chunk, or the end. */
export type ChunkRead = { done: true; value?: Uint8Array | undefined } | { done: false; value: Uint8Array };

/**
 * What the reader needs of a body: its chunks as they arrive, and a way to stop them. `read` may answer
 * at once (no promise) with what it holds already: serve()'s reader does, for the end of a body.
 */
export interface ChunkReader {
  read(): ChunkRead | Promise<ChunkRead>;
  cancel(): Promise<void>;
}

export function readJsonBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const body = request.body;
  return readJsonChunks(request.headers.get("content-length"), () => body?.getReader() ?? null, maxBytes);
}

/**
 * The same, from the `Content-Length` header's value and the body's chunks; `open` is called only when
 * the body is to be read (null: there is none), so a body refused by its declared length is never read.
 */
export function readJsonChunks(
  contentLength: string | null,
  open: () => ChunkReader | null,
  maxBytes: number,
): Promise<BodyResult> {
  return readParsedChunks(contentLength, open, maxBytes, parsedBody);
}

function parsedBody(json: unknown, bytes: Uint8Array): BodyResult {
  return { ok: true, json, bytes };
}

/**
 * `readJsonChunks` with what becomes of the parsed JSON decided by `finish` (a caller that validates it
 * next does so there, in this one async function, rather than in another one awaiting this).
 */
export async function readParsedChunks<R>(
  contentLength: string | null,
  open: () => ChunkReader | null,
  maxBytes: number,
  finish: (json: unknown, bytes: Uint8Array) => R,
): Promise<R | { ok: false; error: KitError }> {
  const tooLarge = () => ({
    ok: false as const,
    error: kitError(413, "invalid_request", `The request body is larger than ${maxBytes} bytes.`, {
      code: "request_too_large",
    }),
  });
  const declared = Number(contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();

  let bytes: Uint8Array;
  const reader = open();
  if (reader === null) {
    bytes = new Uint8Array(0);
  } else {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const step = reader.read();
        // A read that answered at once has `done`; anything else is awaited. Not `instanceof Promise`:
        // a platform's reader may hand out promises of another realm (edge-runtime's do).
        const { done, value } = "done" in step ? step : await step;
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          reader.cancel().catch(() => {});
          return tooLarge();
        }
        chunks.push(value);
      }
    } catch {
      return {
        ok: false,
        error: invalidRequest("The request body could not be read.", null, "invalid_body"),
      };
    }
    bytes = concatBytes(chunks, size);
  }

  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { ok: false, error: invalidRequest("The request body is not valid UTF-8.", null, "invalid_json") };
  }
  if (text.trim() === "") {
    return {
      ok: false,
      error: invalidRequest("The request body is empty; send a JSON object.", null, "invalid_json"),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : "parse error";
    return {
      ok: false,
      error: invalidRequest(`The request body is not valid JSON (${detail}).`, null, "invalid_json"),
    };
  }
  return finish(json, bytes);
}

/** Joins chunks read from a stream into one buffer of `size` bytes (the sum of their lengths). */
export function concatBytes(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
