/**
 * A `POST` body, from bytes to a validated request: the media type is checked, the body read within the
 * size bound (413 past it), parsed as JSON and validated. The bytes are kept for the idempotency
 * fingerprint.
 */

import { type ChunkReader, readParsedChunks } from "./body-reader.js";
import { unsupportedMediaType } from "./content-type.js";
import type { KitError } from "./kit-error.js";
import type { ParseResult } from "./request-validation.js";

export type RequestBody<T> = { ok: true; body: T; bytes: Uint8Array } | { ok: false; error: KitError };

export function readRequestBody<T>(
  request: Request,
  maxBodyBytes: number,
  parse: (json: unknown) => ParseResult<T>,
): Promise<RequestBody<T>> {
  const body = request.body;
  const header = (name: string) => request.headers.get(name);
  return readBodyParts(header, () => body?.getReader() ?? null, maxBodyBytes, parse);
}

/**
 * The same, from the request's headers and its body's chunks (`open` as in `readJsonChunks`). Not async
 * itself: the body is read and validated in one async function, one promise and turn fewer per request.
 */
export function readBodyParts<T>(
  header: (name: string) => string | null,
  open: () => ChunkReader | null,
  maxBodyBytes: number,
  parse: (json: unknown) => ParseResult<T>,
): Promise<RequestBody<T>> {
  // A browser page says where it comes from (`Origin`, Fetch Metadata): see browser-policy.ts.
  const browser = () => header("origin") !== null || header("sec-fetch-site") !== null;
  let unsupported: KitError | null;
  try {
    unsupported = unsupportedMediaType(header("content-type"), browser);
  } catch (error) {
    return Promise.reject(error);
  }
  if (unsupported) return Promise.resolve({ ok: false, error: unsupported });
  return readParsedChunks(header("content-length"), open, maxBodyBytes, (json, bytes) => {
    const parsed = parse(json);
    if (!parsed.ok) return parsed;
    return { ok: true as const, body: parsed.body, bytes };
  });
}
