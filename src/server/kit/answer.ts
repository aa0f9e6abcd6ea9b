/**
 * An HTTP answer before it becomes a `Response`. The create route builds its answers as these: the fetch
 * handler wraps one in a `Response`, and `serve()` on node:http writes it to the socket without making
 * one (see `plain-route.ts`), since a `Request`, a `Response` and a byte stream cost more than the rest
 * of a small turn, and an open stream holds on to them for as long as it lasts.
 */

export interface KitAnswer {
  status: number;
  /** Lower-case names; the answer's own object, which the wrapper adds `x-request-id` to. */
  headers: Record<string, string>;
  /** A JSON text, a body made on demand (an event stream), or nothing. */
  body: string | ChunkSource | null;
  /**
   * A JSON text's UTF-8 bytes, when the kit made them already (a collected turn's, which the default
   * store keeps): written as they are, never changed, so the text is not encoded again.
   */
  bytes?: Uint8Array<ArrayBuffer>;
}

/**
 * A body made chunk by chunk as the reader asks for it (pull): a slow reader slows the producer down.
 * `next` is called once at a time; `ended` turns true with the last chunk, so no further call is needed.
 */
export interface ChunkSource<Chunk = string> {
  next(): Promise<Chunk | null>;
  readonly ended: boolean;
  /** The reader went away: stop producing. */
  cancel(reason?: unknown): void | Promise<void>;
}

/**
 * The answer's headers as a `Headers` would hold them: names in lower case, and the values of names
 * that differ only in case joined by ", " in order. The kit's own names are lower case already; a model's
 * error headers (`ModelError`) may not be.
 */
export function foldHeaders(headers: Record<string, string>): Record<string, string> {
  let folded: Record<string, string> | null = null;
  for (const name of Object.keys(headers)) {
    if (name !== name.toLowerCase()) {
      folded = {};
      break;
    }
  }
  if (folded === null) return headers;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const before = folded[lower];
    folded[lower] = before === undefined ? value : `${before}, ${value}`;
  }
  return folded;
}

export function toResponse(answer: KitAnswer): Response {
  const body = answer.body;
  const init = { status: answer.status, headers: answer.headers };
  if (typeof body === "string") return new Response(answer.bytes ?? body, init);
  return new Response(body === null ? body : chunkStream(body), init);
}

const encoder = new TextEncoder();

/** A chunk source as a byte stream: one encoded chunk per pull. */
export function chunkStream(source: ChunkSource): ReadableStream<Uint8Array> {
  let closed = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (closed) return;
      try {
        const chunk = await source.next();
        if (chunk !== null) controller.enqueue(encoder.encode(chunk));
        if (chunk === null || source.ended) {
          closed = true;
          controller.close();
        }
      } catch (error) {
        closed = true;
        controller.error(error);
      }
    },
    cancel(reason) {
      closed = true;
      return source.cancel(reason);
    },
  });
}
