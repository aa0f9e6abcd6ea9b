/**
 * Reads the raw bytes of an SSE body event by event, keeping what the client's decoder deliberately
 * forgets: which fields each event carried. Check needs that to judge the framing rules itself (S1: an
 * `event:` and a `data:` field, S2: no `id:`, S3: `[DONE]` last). Line endings follow WHATWG (LF, CR,
 * CRLF, split across chunks); comment lines are counted and otherwise ignored.
 */

export interface RawSSEEvent {
  /** The `event:` field, if the event had one. */
  event: string | undefined;
  /** The `data:` lines joined by "\n"; undefined when the event had no `data:` field. */
  data: string | undefined;
  /** The `id:` field, if the event had one (S2: servers SHOULD NOT send it). */
  id: string | undefined;
  /** False for an event cut off by the end of the body (no blank line after it). */
  terminated: boolean;
  /** The event as it was on the wire, for evidence. */
  raw: string;
}

export class SSEFramingReader {
  private readonly decoder = new TextDecoder("utf-8");
  private pending = "";
  private skipLF = false;
  private atStart = true;
  private lines: string[] = [];
  private event: string | undefined;
  private data: string[] | undefined;
  private id: string | undefined;
  private fields = 0;
  /** Comment lines (`: keep-alive`) seen: legal SSE, reported nowhere. */
  comments = 0;

  push(chunk: Uint8Array): RawSSEEvent[] {
    return this.pushText(this.decoder.decode(chunk, { stream: true }));
  }

  /** The end of the body: flushes a last event that had no blank line after it. */
  end(): RawSSEEvent[] {
    const out = this.pushText(this.decoder.decode());
    if (this.pending !== "") {
      this.line(this.pending, out);
      this.pending = "";
    }
    if (this.fields > 0) out.push(this.dispatch(false));
    return out;
  }

  private pushText(input: string): RawSSEEvent[] {
    const out: RawSSEEvent[] = [];
    let text = input;
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    if (this.skipLF && text.length > 0) {
      this.skipLF = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      const line = this.pending + text.slice(start, i);
      this.pending = "";
      if (code === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else this.skipLF = true;
      }
      start = i + 1;
      this.line(line, out);
    }
    this.pending += text.slice(start);
    return out;
  }

  private line(line: string, out: RawSSEEvent[]): void {
    if (line === "") {
      if (this.fields > 0) out.push(this.dispatch(true));
      else this.lines = [];
      return;
    }
    this.lines.push(line);
    if (line.startsWith(":")) {
      this.comments++;
      return;
    }
    this.fields++;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") {
      this.data ??= [];
      this.data.push(value);
    } else if (field === "id") this.id = value;
  }

  private dispatch(terminated: boolean): RawSSEEvent {
    const event: RawSSEEvent = {
      event: this.event,
      data: this.data?.join("\n"),
      id: this.id,
      terminated,
      raw: this.lines.join("\n"),
    };
    this.lines = [];
    this.fields = 0;
    this.event = undefined;
    this.data = undefined;
    this.id = undefined;
    return event;
  }
}
