/**
 * A `POST` body, from bytes to a validated request: the media type is checked, the body read within the
 * size bound (413 past it), parsed as JSON and validated. The bytes are kept for the idempotency
 * fingerprint.
 */

import { readJsonBody } from "./body-reader.js";
import { unsupportedContentType } from "./content-type.js";
import type { KitError } from "./kit-error.js";
import type { ParseResult } from "./request-validation.js";

export type RequestBody<T> = { ok: true; body: T; bytes: Uint8Array } | { ok: false; error: KitError };

export async function readRequestBody<T>(
  request: Request,
  maxBodyBytes: number,
  parse: (json: unknown) => ParseResult<T>,
): Promise<RequestBody<T>> {
  const unsupported = unsupportedContentType(request);
  if (unsupported) return { ok: false, error: unsupported };
  const read = await readJsonBody(request, maxBodyBytes);
  if (!read.ok) return read;
  const parsed = parse(read.json);
  if (!parsed.ok) return parsed;
  return { ok: true, body: parsed.body, bytes: read.bytes };
}
