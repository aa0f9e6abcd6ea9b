/**
 * The `Response` that `asResponse()` hands out: the answer's status, headers and url with its body
 * unread. Made only when someone asks for it (and for the JSON answer to a stream request), so the
 * transport imports this file (through `src/on-demand.ts`) then.
 */

import type { BodyReader } from "./transport.js";

/** A fresh `Response` carrying `text` as its body (a JSON answer, already read), like `original`. */
export function unreadCopy(original: Response, text: string): Response {
  const nullBody = [101, 204, 205, 304].includes(original.status);
  return withURL(
    new Response(nullBody ? null : text, {
      status: original.status,
      statusText: original.statusText,
      headers: original.headers,
    }),
    original.url,
  );
}

/** A `Response` like `like` whose body is read from `reader` on demand (a stream's body, unread). */
export function readerResponse(reader: BodyReader, like: Response): Response {
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  // A Response is the init of its copy: status, statusText and headers are read from it.
  return withURL(new Response(body, like), like.url);
}

/** A copy's `url` is empty: it gets the original's. */
function withURL(response: Response, url: string): Response {
  if (url && !response.url) Object.defineProperty(response, "url", { value: url });
  return response;
}
