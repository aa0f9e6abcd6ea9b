/**
 * What the transport reads from every answer's headers, error or not: the request id, and the headers as
 * a record fit for an error (credential-looking values masked). Apart from `http-errors.ts`, which the
 * transport loads only when an error answer arrives.
 */

import type { HeaderRecord } from "../errors.js";
import { redactSecrets } from "../internal/redact.js";

/** Response headers as a plain record with credential-looking values masked. */
export function headersToRecord(headers: Headers): HeaderRecord {
  const out: HeaderRecord = {};
  headers.forEach((value, key) => {
    out[key] = redactSecrets(value);
  });
  return out;
}

export function requestIdFrom(headers: Headers): string | null {
  return headers.get("x-request-id") ?? headers.get("request-id") ?? null;
}
