/**
 * The SSE framing of an Open Responses stream (rules S1–S3), written once: the kit's encoder and the
 * client's `ResponseStream.toReadableStream()` put the same bytes on the wire. Private: the server entry
 * re-exports `formatSSE` under its own name, the client entry nothing.
 */

/** One event as SSE text: `event: <type>`, `data: <json>`, a blank line. JSON never holds a raw newline. */
export function formatSSE(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The line that ends every stream, after the terminal event. */
export const SSE_DONE = "data: [DONE]\n\n";
