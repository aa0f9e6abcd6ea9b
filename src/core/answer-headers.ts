/**
 * What the transport reads from every answer's headers, error or not: the request id. (The headers as a
 * record fit for an error are `http-errors.ts`'s, which the transport loads only when an error answer or
 * a redirect arrives.)
 */

export function requestIdFrom(headers: Headers): string | null {
  return headers.get("x-request-id") ?? headers.get("request-id") ?? null;
}
