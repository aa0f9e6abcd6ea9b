/**
 * What the transport reads from every answer's headers, error or not: the request id, and whether it is a
 * redirect to follow. (The headers as a record fit for an error are `http-errors.ts`'s, and following a
 * redirect is `rare-answers.ts`'s, which the transport loads only when an error answer or a redirect
 * arrives.)
 */

/** The statuses whose `Location` is followed. */
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** The `Location` of a redirect the transport follows, else null. */
export function redirectLocation(response: Response): string | null {
  return REDIRECT_STATUSES.includes(response.status) ? response.headers.get("location") : null;
}

/**
 * Whether the transport follows this answer: a redirect status with a `Location`, or a browser's
 * `opaqueredirect` (a browser hides a manual redirect's target: such an answer has neither status nor
 * headers).
 */
export function isRedirect(response: Response): boolean {
  return redirectLocation(response) !== null || response.type === "opaqueredirect";
}

export function requestIdFrom(headers: Headers): string | null {
  return headers.get("x-request-id") ?? headers.get("request-id") ?? null;
}
