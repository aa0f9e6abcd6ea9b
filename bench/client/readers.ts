/**
 * The four ways of reading a bench stream, each returning what it counted so the harness can check that
 * every reader saw every event and kept every character:
 *   ours   — `client.responses.stream()` + `finalResponse()` of a client module (this checkout's, or
 *            another's for a before/after pair), with every check it makes;
 *   openai — the `openai` SDK's `client.responses.stream()` helper + `finalResponse()`;
 *   bare   — fetch + streaming TextDecoder + `split("\n")` + `JSON.parse`, the obvious hand-written loop;
 *   tuned  — a tuned bare loop: chunks decoded whole, lines found from an offset, one `JSON.parse` per
 *            event, the text and each call's arguments kept, no checks and no rebuilt response.
 */

export const MODEL = "bench-model";

export interface ReadResult {
  events: number;
  /** The output text plus every function call's arguments, in characters. */
  textLength: number;
}

/** The part of this package's entry the `ours` reader uses. */
export interface ClientModule {
  OpenResponses: typeof import("../../src/index.js").OpenResponses;
}

export async function readOurs(client: ClientModule, baseURL: string): Promise<ReadResult> {
  const api = new client.OpenResponses({ baseURL, apiKey: "bench-key", maxRetries: 0 });
  const stream = await api.responses.stream({ model: MODEL, input: "bench" });
  const final = await stream.finalResponse();
  // Every event went through the decoder, parser, protocol checker and accumulator.
  if (stream.violations.length > 0)
    throw new Error(`unexpected violations: ${stream.violations[0]?.message}`);
  return { events: stream.eventCount, textLength: outputLength(final.output) };
}

export async function readOpenAI(baseURL: string): Promise<ReadResult> {
  const { default: OpenAI } = await import("openai");
  const api = new OpenAI({ baseURL, apiKey: "bench-key", maxRetries: 0 });
  const stream = api.responses.stream({ model: MODEL, input: "bench" });
  let events = 0;
  // The helper has no event counter; a listener is the lightest way to check it saw every event.
  stream.on("event", () => {
    events += 1;
  });
  const final = await stream.finalResponse();
  return { events, textLength: outputLength(final.output) };
}

type DeltaEvent = { type: string; delta?: string; output_index?: number };

function post(baseURL: string): Promise<Response> {
  return fetch(`${baseURL}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer bench-key" },
    body: JSON.stringify({ model: MODEL, input: "bench", stream: true }),
  });
}

export async function readBare(baseURL: string): Promise<ReadResult> {
  const response = await post(baseURL);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let events = 0;
  let text = "";
  const args: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("data: ")) continue;
      const data = line.slice(6);
      if (data === "[DONE]") continue;
      const event = JSON.parse(data) as DeltaEvent;
      events += 1;
      if (event.type === "response.output_text.delta") text += event.delta;
      else if (event.type === "response.function_call_arguments.delta") {
        args[event.output_index!] = (args[event.output_index!] ?? "") + event.delta;
      }
    }
  }
  return { events, textLength: text.length + args.reduce((n, a) => n + a.length, 0) };
}

/**
 * The tuned bare loop: each chunk decoded once (whole characters, outside TextDecoder's slow streaming
 * mode) and appended, lines found with `indexOf` from an offset, the consumed part dropped once per
 * chunk, one `JSON.parse` per `data:` line.
 */
export async function readTuned(baseURL: string): Promise<ReadResult> {
  const response = await post(baseURL);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let events = 0;
  let text = "";
  const args: string[] = [];
  let carry: Uint8Array | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Node's TextDecoder is much slower in `stream: true` mode: decode whole characters only, and
    // carry the bytes of one split across chunks over to the next.
    let bytes = value;
    if (carry) {
      bytes = new Uint8Array(carry.length + value.length);
      bytes.set(carry);
      bytes.set(value, carry.length);
      carry = null;
    }
    let end = bytes.length;
    let back = 1;
    while (back <= 3 && back <= end && (bytes[end - back]! & 0xc0) === 0x80) back++;
    const lead = bytes[end - back];
    if (lead !== undefined && lead >= 0xc0) {
      const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
      if (needed > back) end -= back;
    }
    if (end < bytes.length) carry = bytes.slice(end);
    buffer += decoder.decode(end === bytes.length ? bytes : bytes.subarray(0, end));
    let offset = 0;
    for (;;) {
      const lineEnd = buffer.indexOf("\n", offset);
      if (lineEnd === -1) break;
      // "data: " is d(100) a t a : space; the test on the first and fifth characters is enough here.
      if (buffer.charCodeAt(offset) === 100 && buffer.charCodeAt(offset + 4) === 58) {
        const data = buffer.slice(offset + 6, lineEnd);
        if (data !== "[DONE]") {
          const event = JSON.parse(data) as DeltaEvent;
          events += 1;
          if (event.type === "response.output_text.delta") text += event.delta;
          else if (event.type === "response.function_call_arguments.delta") {
            args[event.output_index!] = (args[event.output_index!] ?? "") + event.delta;
          }
        }
      }
      offset = lineEnd + 1;
    }
    if (offset > 0) buffer = buffer.slice(offset);
  }
  return { events, textLength: text.length + args.reduce((n, a) => n + a.length, 0) };
}

/** The output's text plus every function call's arguments: what each reader must have kept. */
function outputLength(output: unknown): number {
  let length = 0;
  for (const item of output as Array<{
    type?: string;
    arguments?: string;
    content?: Array<{ type?: string; text?: string }>;
  }>) {
    if (item.type === "function_call") length += item.arguments?.length ?? 0;
    if (item.type !== "message") continue;
    for (const part of item.content ?? []) if (part.type === "output_text") length += part.text?.length ?? 0;
  }
  return length;
}
