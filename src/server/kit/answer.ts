/**
 * An HTTP answer before it becomes a `Response`. The create route builds its answers as these: the fetch
 * handler wraps one in a `Response`, and `serve()` on node:http writes it to the socket without making
 * one (see `plain-route.ts`), since a `Request` and a `Response` cost more than the rest of a small turn.
 */

export interface KitAnswer {
  status: number;
  /** Lower-case names; the answer's own object, which the wrapper adds `x-request-id` to. */
  headers: Record<string, string>;
  /** A JSON text, an event stream, or nothing. */
  body: string | ReadableStream<Uint8Array> | null;
}

export function toResponse(answer: KitAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
