/**
 * A `POST` body, from bytes to a validated request: the media type is checked, the body read within the
 * size bound (413 past it), parsed as JSON and validated. The bytes are kept for the idempotency
 * fingerprint.
 */

import { type ChunkReader, readJsonChunks } from "./body-reader.js";
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

/** The same, from the request's headers and its body's chunks (`open` as in `readJsonChunks`). */
export async function readBodyParts<T>(
  header: (name: string) => string | null,
  open: () => ChunkReader | null,
  maxBodyBytes: number,
  parse: (json: unknown) => ParseResult<T>,
): Promise<RequestBody<T>> {
  // A browser page says where it comes from (`Origin`, Fetch Metadata): see browser-policy.ts.
  const browser = () => header("origin") !== null || header("sec-fetch-site") !== null;
  const unsupported = unsupportedMediaType(header("content-type"), browser);
  if (unsupported) return { ok: false, error: unsupported };
  const read = await readJsonChunks(header("content-length"), open, maxBodyBytes);
  if (!read.ok) return read;
  const parsed = parse(read.json);
  if (!parsed.ok) return parsed;
  return { ok: true, body: parsed.body, bytes: read.bytes };
}
