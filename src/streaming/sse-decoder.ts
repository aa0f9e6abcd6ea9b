/**
 * A server-sent events decoder that follows the WHATWG "event stream interpretation" rules: LF, CR and
 * CRLF line endings (including a CR that ends one chunk and an LF that starts the next), multi-line
 * `data` joined by "\n", comment lines, `event`/`id`/`retry` fields, a field with no colon, one leading
 * space stripped from a value, a leading UTF-8 BOM, and characters split across chunks.
 *
 * Work is linear in the bytes received: every chunk is decoded once, scanned once from where the last
 * scan stopped, and an unfinished line is kept as a list of pieces that is joined only when its line
 * ends. A bound on the size of one event stops a server (or a proxy) from growing the buffer forever.
 */

import { ResponseStreamError } from "../errors.js";

/** One dispatched event; a WebSocket transport produces `{ data }` per message. */
export interface SSEMessage {
  event?: string;
  data: string;
  id?: string;
  /** The `retry` field, when the event carried a valid one (milliseconds). */
  retry?: number;
}

export interface SSEDecoderOptions {
  /**
   * The largest event accepted, counted in characters (UTF-16 code units, the same as bytes for ASCII)
   * over all its lines, field names included. Past it `push` throws a `ResponseStreamError` of kind
   * `"malformed"`. Default 64 MiB (`DEFAULT_MAX_EVENT_SIZE`), room for a `response.completed` that
   * repeats large outputs (base64 images, long documents).
   */
  maxEventSize?: number;
}

/** 64 MiB: the default largest event (the client's `maxEventBytes`). */
export const DEFAULT_MAX_EVENT_SIZE = 64 * 1024 * 1024;

const LF = 10;
const CR = 13;

/**
 * The length of the longest prefix of `bytes` that does not end inside a UTF-8 character: looks back at
 * most three bytes for the lead byte of the last character and checks whether all its bytes are there.
 */
function completeUTF8Length(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = bytes[length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? length - back : length;
  }
  return length;
}

// Most lines are `data:` or `event:`: character tests, which the compiler inlines, rather than a
// `startsWith` call per line.
function isDataLine(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 100 && // d
    text.charCodeAt(at + 4) === 58 && // :
    text.charCodeAt(at + 1) === 97 && // a
    text.charCodeAt(at + 2) === 116 && // t
    text.charCodeAt(at + 3) === 97 // a
  );
}

function isEventLine(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 101 && // e
    text.charCodeAt(at + 5) === 58 && // :
    text.charCodeAt(at + 1) === 118 && // v
    text.charCodeAt(at + 2) === 101 && // e
    text.charCodeAt(at + 3) === 110 && // n
    text.charCodeAt(at + 4) === 116 // t
  );
}

/**
 * Splits `text/event-stream` bytes into messages (`event`, `data`, `id`), however the bytes are chunked:
 * `push()` each chunk, `flush()` at the end.
 *
 * @example
 * ```ts
 * const decoder = new SSEDecoder();
 * const messages = [...decoder.push(new TextEncoder().encode("data: {}\n\n")), ...decoder.flush()];
 * ```
 */
export class SSEDecoder {
  // ignoreBOM: the BOM is stripped once, in pushText, for bytes and text alike (chunks are decoded one
  // by one, so the decoder must not strip a BOM-like start of every chunk).
  readonly #textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
  readonly #maxEventSize: number;

  // The unfinished line, as pieces (joined once, when the line ends).
  #pendingPieces: string[] = [];
  #pendingLength = 0;
  // The first bytes of a UTF-8 character whose remaining bytes are in the next chunk.
  #carry: Uint8Array | null = null;
  // A chunk ended with CR: an LF at the start of the next chunk belongs to the same line break.
  #skipLeadingLF = false;
  // A BOM is stripped only at the very start of the stream (TextDecoder does it for bytes; this covers text).
  #atStreamStart = true;

  // The event being built.
  // The event's data lines: nearly every event has one, so the first is kept on its own and a list is
  // made only for a second one.
  #data: string | undefined;
  #moreData: string[] | null = null;
  #eventType: string | undefined;
  #retry: number | undefined;
  #eventSize = 0;
  // WHATWG: the last event id persists across events until a new `id` field changes it.
  #lastEventId: string | undefined;

  constructor(options: SSEDecoderOptions = {}) {
    this.#maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  }

  /** Feeds raw bytes; returns the events completed by them. */
  push(chunk: Uint8Array): SSEMessage[] {
    // A character split across chunks waits for its remaining bytes here, so every chunk is decoded
    // whole. (TextDecoder's own `stream: true` mode does the same but, in Node, leaves its fast path.)
    let bytes = chunk;
    if (this.#carry !== null) {
      bytes = new Uint8Array(this.#carry.length + chunk.length);
      bytes.set(this.#carry);
      bytes.set(chunk, this.#carry.length);
      this.#carry = null;
    }
    const complete = completeUTF8Length(bytes);
    if (complete < bytes.length) this.#carry = bytes.slice(complete);
    if (complete === 0) return [];
    return this.pushText(
      this.#textDecoder.decode(complete === bytes.length ? bytes : bytes.subarray(0, complete)),
    );
  }

  /** Feeds already-decoded text (used by tests and by sources that deliver strings). */
  pushText(text: string): SSEMessage[] {
    const out: SSEMessage[] = [];
    const length = text.length;
    let start = 0;
    if (this.#atStreamStart && length > 0) {
      this.#atStreamStart = false;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.#skipLeadingLF && length > 0) {
      this.#skipLeadingLF = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    // Positions of the next LF and CR, each searched again only once the scan has passed it, so the
    // chunk is scanned a bounded number of times whatever its mix of line endings.
    let nextLF = text.indexOf("\n", start);
    let nextCR = text.indexOf("\r", start);
    while (start < length) {
      if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf("\n", start);
      if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf("\r", start);
      if (this.#eventSize === 0 && this.#pendingLength === 0 && nextLF !== -1) {
        const after = this.#wholeEvent(text, start, nextLF, nextCR, out);
        if (after !== -1) {
          start = after;
          continue;
        }
      }
      let end: number;
      if (nextLF === -1) end = nextCR;
      else if (nextCR === -1) end = nextLF;
      else end = Math.min(nextLF, nextCR);
      if (end === -1) {
        this.#keepPartial(text.slice(start));
        break;
      }
      let next = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (next === length) this.#skipLeadingLF = true;
        else if (text.charCodeAt(next) === LF) next += 1;
      }
      this.#line(text, start, end, out);
      start = next;
    }
    return out;
  }

  /**
   * The common case, taken whole: between events, an event that is all in this chunk as `event: name`
   * (optional) + `data: value` + a blank line, LF line ends, within the size bound. It is dispatched as
   * the line-by-line path would, in one step. Returns where the scan goes on, or -1 for anything else
   * (the line-by-line path then takes it).
   */
  #wholeEvent(text: string, start: number, lineEnd: number, nextCR: number, out: SSEMessage[]): number {
    let dataStart = start;
    let name: string | undefined;
    if (isEventLine(text, start)) {
      if (text.charCodeAt(start + 6) !== 32) return -1;
      if (lineEnd > start + 7) name = text.slice(start + 7, lineEnd);
      dataStart = lineEnd + 1;
    }
    if (!isDataLine(text, dataStart) || text.charCodeAt(dataStart + 5) !== 32) return -1;
    const dataEnd = dataStart === start ? lineEnd : text.indexOf("\n", dataStart);
    // The blank line must follow, with no CR anywhere in the event (past the end, charCodeAt is NaN).
    if (dataEnd === -1 || text.charCodeAt(dataEnd + 1) !== LF) return -1;
    if ((nextCR !== -1 && nextCR <= dataEnd) || dataEnd - start + 1 > this.#maxEventSize) return -1;
    const message: SSEMessage = { data: text.slice(dataStart + 6, dataEnd) };
    if (name !== undefined) message.event = name;
    if (this.#lastEventId !== undefined) message.id = this.#lastEventId;
    out.push(message);
    return dataEnd + 2;
  }

  /**
   * Ends the stream. WHATWG discards an event that was not ended by a blank line; real servers sometimes
   * close right after the last `data` line, so a pending event is dispatched here instead of lost.
   */
  flush(): SSEMessage[] {
    const out: SSEMessage[] = [];
    if (this.#carry !== null) {
      // An unfinished character at the very end decodes to U+FFFD, as a streaming TextDecoder would.
      const tail = this.#textDecoder.decode(this.#carry);
      this.#carry = null;
      out.push(...this.pushText(tail));
    }
    if (this.#pendingLength > 0) this.#line("", 0, 0, out);
    this.#dispatch(out);
    return out;
  }

  #keepPartial(piece: string): void {
    this.#pendingPieces.push(piece);
    this.#pendingLength += piece.length;
    this.#checkSize(this.#eventSize + this.#pendingLength);
  }

  #checkSize(size: number): void {
    if (size > this.#maxEventSize) {
      // Drop what was buffered: the caller gets an error, not an ever-growing buffer.
      this.#pendingPieces = [];
      this.#pendingLength = 0;
      this.#data = undefined;
      this.#moreData = null;
      this.#eventSize = 0;
      throw new ResponseStreamError(
        `A server-sent event exceeded the size limit of ${this.#maxEventSize} characters (the client's maxEventBytes).`,
        { kind: "malformed", partialResponse: null },
      );
    }
  }

  /**
   * The line `text[start, end)`, its line break already consumed, completing the unfinished line if there
   * is one. A whole `data:` or `event:` line (nearly every line the whole-event path leaves) is
   * recognised by its characters and its value read without an intermediate line string.
   */
  #line(text: string, start: number, end: number, out: SSEMessage[]): void {
    if (this.#pendingLength > 0) {
      this.#pendingPieces.push(text.slice(start, end));
      text = this.#pendingPieces.join("");
      this.#pendingPieces = [];
      this.#pendingLength = 0;
      start = 0;
      end = text.length;
    }
    if (end === start) {
      this.#dispatch(out);
      return;
    }
    this.#eventSize += end - start + 1;
    this.#checkSize(this.#eventSize);
    let colon: number;
    let field: string;
    if (isDataLine(text, start)) {
      colon = start + 4;
      field = "data";
    } else if (isEventLine(text, start)) {
      colon = start + 5;
      field = "event";
    } else {
      if (text.charCodeAt(start) === 58) return; // a comment (`:`)
      // Looked for in the line alone: a search on into the rest of the chunk would make a chunk of lines
      // without a colon (a field with the empty value) cost the square of its length.
      const found = text.slice(start, end).indexOf(":");
      colon = found === -1 ? end : start + found;
      field = text.slice(start, colon);
    }
    // One leading space is stripped (a field with no colon has the empty value).
    const value =
      colon === end ? "" : text.slice(text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1, end);
    switch (field) {
      case "data":
        this.#addData(value);
        break;
      case "event":
        this.#eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) this.#lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
      default:
        // Unknown fields are ignored, as the standard says.
        break;
    }
  }

  #addData(value: string): void {
    if (this.#data === undefined) this.#data = value;
    else if (this.#moreData === null) this.#moreData = [value];
    else this.#moreData.push(value);
  }

  #dispatch(out: SSEMessage[]): void {
    const first = this.#data;
    const more = this.#moreData;
    const eventType = this.#eventType;
    const retry = this.#retry;
    this.#data = undefined;
    this.#moreData = null;
    this.#eventType = undefined;
    this.#retry = undefined;
    this.#eventSize = 0;
    // WHATWG: an event with no data line is not dispatched (a lone `event:` or `retry:` block).
    if (first === undefined) return;
    const data = more === null ? first : `${first}\n${more.join("\n")}`;
    const message: SSEMessage = { data };
    if (eventType) message.event = eventType;
    if (this.#lastEventId !== undefined) message.id = this.#lastEventId;
    if (retry !== undefined) message.retry = retry;
    out.push(message);
  }
}
