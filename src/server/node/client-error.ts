/**
 * Node answers a request it cannot parse itself, before any handler sees it: 400 for a malformed
 * request line or header, 431 for headers over `maxHeaderSize`, 413 for an oversized chunk extension,
 * 408 when the request did not arrive within `headersTimeout`/`requestTimeout`. Its answers carry no
 * body; these carry a spec error body (rule E1) like every other error of the kit, so a client reads
 * the same `{ error: { message, type, param, code } }` whatever went wrong.
 */

import type { Server } from "node:http";
import type { Duplex } from "node:stream";

interface ClientErrorAnswer {
  status: number;
  reason: string;
  code: string;
  message: string;
}

/** What Node would have answered for this parser or timeout error; null when nothing can be sent. */
export function clientErrorAnswer(code: string | undefined): ClientErrorAnswer | null {
  switch (code) {
    case "ECONNRESET":
    case "EPIPE":
      return null;
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        reason: "Request Header Fields Too Large",
        code: "headers_too_large",
        message: "The request's headers are too large.",
      };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return {
        status: 413,
        reason: "Payload Too Large",
        code: "request_too_large",
        message: "The request's chunk extensions are too large.",
      };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        status: 408,
        reason: "Request Timeout",
        code: "request_timeout",
        message: "The request did not arrive in time.",
      };
    default:
      return {
        status: 400,
        reason: "Bad Request",
        code: "invalid_request",
        message: "The request is not valid HTTP.",
      };
  }
}

/** Answers Node's client errors with an E1 body instead of an empty one. */
export function answerClientErrors(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const answer = clientErrorAnswer(error.code);
    // Past the start of a response on this socket (a keep-alive connection mid-answer), nothing more
    // can be written that the client would read as an answer to this request.
    const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (answer === null || !socket.writable || started === true) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({
      error: { message: answer.message, type: "invalid_request", param: null, code: answer.code },
    });
    socket.end(
      `HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
