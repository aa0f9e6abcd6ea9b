/**
 * A lean HTTP/1.1 load generator over `node:net`: requests are prebuilt bytes, responses are parsed just
 * enough (status, `content-length` or chunked framing) to know where each ends. `fetch` or `node:http`
 * as the client would cost more per request than the bare server under test, and the figures would
 * measure the client; this costs a few microseconds.
 */

import { connect, type Socket } from "node:net";

/** Prebuilt bytes of a `POST` with a JSON body on a keep-alive connection. */
export function postRequest(path: string, body: string, headers: Record<string, string> = {}): Buffer {
  const payload = Buffer.from(body, "utf8");
  const lines = [
    `POST ${path} HTTP/1.1`,
    "host: 127.0.0.1",
    "content-type: application/json",
    `content-length: ${payload.byteLength}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), payload]);
}

const CRLF_CRLF = Buffer.from("\r\n\r\n");

/**
 * Decodes one response body's framing as bytes arrive; `data` gets the body's bytes, `end` is true once
 * the response is complete (the last chunk, or `content-length` bytes). Bytes after it are returned to
 * the caller (`rest`), for the next response on the connection.
 */
class ResponseParser {
  status = 0;
  #head: Buffer | null = Buffer.alloc(0);
  #chunked = false;
  #remaining = 0;
  /** In chunked mode: reading a size line, the data, or the CRLF after the data. */
  #state: "size" | "data" | "crlf" | "trailer" = "size";
  #line = "";
  done = false;

  constructor(private readonly onData: (data: Buffer) => void) {}

  /** Feeds bytes; returns what is left after the response ended (empty while it goes on). */
  push(chunk: Buffer): Buffer {
    let input = chunk;
    if (this.#head !== null) {
      const head = this.#head.byteLength === 0 ? input : Buffer.concat([this.#head, input]);
      const end = head.indexOf(CRLF_CRLF);
      if (end === -1) {
        this.#head = head;
        return Buffer.alloc(0);
      }
      this.#readHead(head.subarray(0, end).toString("latin1"));
      this.#head = null;
      input = head.subarray(end + 4);
      if (!this.#chunked && this.#remaining === 0) {
        this.done = true;
        return input;
      }
    }
    return this.#chunked ? this.#pushChunked(input) : this.#pushLength(input);
  }

  #readHead(head: string): void {
    const lines = head.split("\r\n");
    this.status = Number(lines[0]?.split(" ")[1]);
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "transfer-encoding" && value.toLowerCase() === "chunked") this.#chunked = true;
      if (name === "content-length") this.#remaining = Number(value);
    }
  }

  #pushLength(input: Buffer): Buffer {
    const take = Math.min(this.#remaining, input.byteLength);
    if (take > 0) this.onData(input.subarray(0, take));
    this.#remaining -= take;
    if (this.#remaining === 0) this.done = true;
    return input.subarray(take);
  }

  #pushChunked(input: Buffer): Buffer {
    let offset = 0;
    while (offset < input.byteLength && !this.done) {
      if (this.#state === "data") {
        const take = Math.min(this.#remaining, input.byteLength - offset);
        this.onData(input.subarray(offset, offset + take));
        offset += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = "crlf";
        continue;
      }
      // Size lines, the CRLF after data and the trailer are short: read them a byte at a time.
      const byte = input[offset++]!;
      if (byte === 13) continue;
      if (byte !== 10) {
        this.#line += String.fromCharCode(byte);
        continue;
      }
      const line = this.#line;
      this.#line = "";
      if (this.#state === "crlf") {
        this.#state = "size";
      } else if (this.#state === "size") {
        this.#remaining = Number.parseInt(line, 16);
        this.#state = this.#remaining === 0 ? "trailer" : "data";
      } else if (line === "") {
        this.done = true;
      }
    }
    return input.subarray(offset);
  }
}

export interface RawResponse {
  status: number;
  body: Buffer;
}

/** One keep-alive connection that sends one request at a time. */
export class Connection {
  readonly #socket: Socket;
  #parser: ResponseParser | null = null;
  #chunks: Buffer[] = [];
  #settle: ((response: RawResponse) => void) | null = null;
  #fail: ((error: Error) => void) | null = null;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    const failed = (error: Error) => this.#fail?.(error);
    socket.on("error", failed);
    socket.on("close", () => failed(new Error("connection closed")));
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve(new Connection(socket));
      });
      socket.once("error", reject);
    });
  }

  /** Sends the prebuilt request and resolves with the whole response. */
  request(bytes: Buffer): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.#chunks = [];
      this.#parser = new ResponseParser((data) => this.#chunks.push(data));
      this.#settle = resolve;
      this.#fail = reject;
      this.#socket.write(bytes);
    });
  }

  close(): void {
    this.#fail = null;
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    const parser = this.#parser;
    if (parser === null) return;
    parser.push(chunk);
    if (!parser.done) return;
    this.#parser = null;
    const settle = this.#settle;
    this.#settle = null;
    this.#fail = null;
    settle?.({ status: parser.status, body: Buffer.concat(this.#chunks) });
  }
}

const BLANK_LINE = Buffer.from("\n\n");

/**
 * Sends one request on a fresh connection and counts the SSE events of its body (one per blank line,
 * `data: [DONE]` included) without keeping the body. Resolves when the response has ended.
 */
export function countStreamEvents(
  port: number,
  request: Buffer,
): Promise<{ status: number; events: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    let events = 0;
    let bytes = 0;
    // A blank line can be split across two data pieces: remember whether the last piece ended in "\n".
    let endedWithNewline = false;
    const parser = new ResponseParser((data) => {
      bytes += data.byteLength;
      if (endedWithNewline && data[0] === 10) events++;
      let at = data.indexOf(BLANK_LINE);
      while (at !== -1) {
        events++;
        at = data.indexOf(BLANK_LINE, at + 2);
      }
      endedWithNewline = data[data.byteLength - 1] === 10;
    });
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    socket.on("data", (chunk: Buffer) => {
      parser.push(chunk);
      if (parser.done) {
        socket.destroy();
        resolve({ status: parser.status, events, bytes });
      }
    });
    socket.on("error", reject);
    socket.on("close", () => {
      if (!parser.done) reject(new Error("the stream's connection closed before its end"));
    });
  });
}
