/**
 * Hand-written stream fixtures: a builder for event sequences, the sequences the tests share (every
 * spec event type, the quirks of "Observed in the wild"), and SSE encoders with the wire variations.
 */

import { type Loose, responseResource } from "../support/response-resource.js";

export { type Loose, responseResource };

/** Builds an event sequence with increasing sequence numbers. */
export class Events {
  readonly list: Loose[] = [];
  private sequence = 0;

  add(type: string, fields: Loose = {}): this {
    this.list.push({ type, sequence_number: this.sequence++, ...fields });
    return this;
  }

  created(): this {
    return this.add("response.created", { response: responseResource("in_progress") });
  }

  /** A complete assistant message with one output_text part streamed as `deltas`. */
  message(index: number, deltas: string[], id = `msg_${index}`, status = "completed"): this {
    const text = deltas.join("");
    this.add("response.output_item.added", {
      output_index: index,
      item: { type: "message", id, status: "in_progress", role: "assistant", content: [] },
    });
    this.add("response.content_part.added", {
      item_id: id,
      output_index: index,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    });
    for (const delta of deltas) {
      this.add("response.output_text.delta", { item_id: id, output_index: index, content_index: 0, delta });
    }
    this.add("response.output_text.done", { item_id: id, output_index: index, content_index: 0, text });
    this.add("response.content_part.done", {
      item_id: id,
      output_index: index,
      content_index: 0,
      part: { type: "output_text", text, annotations: [] },
    });
    this.add("response.output_item.done", {
      output_index: index,
      item: {
        type: "message",
        id,
        status,
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    });
    return this;
  }

  completed(output: unknown[]): this {
    return this.add("response.completed", { response: responseResource("completed", output) });
  }
}

export function messageItem(id: string, text: string): Loose {
  return {
    type: "message",
    id,
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text, annotations: [] }],
  };
}

/** A valid stream with one event of each of the 22 non-error standard types plus queued. */
export function everyEventStream(): { events: Loose[]; output: Loose[] } {
  const e = new Events().created();
  e.add("response.queued", { response: responseResource("queued") });
  e.add("response.in_progress", { response: responseResource("in_progress") });
  // 0: reasoning item with raw reasoning text and a summary
  e.add("response.output_item.added", {
    output_index: 0,
    item: { type: "reasoning", id: "rs_0", summary: [] },
  });
  e.add("response.content_part.added", {
    item_id: "rs_0",
    output_index: 0,
    content_index: 0,
    part: { type: "reasoning_text", text: "" },
  });
  e.add("response.reasoning.delta", { item_id: "rs_0", output_index: 0, content_index: 0, delta: "Think" });
  e.add("response.reasoning.delta", { item_id: "rs_0", output_index: 0, content_index: 0, delta: "ing." });
  e.add("response.reasoning.done", { item_id: "rs_0", output_index: 0, content_index: 0, text: "Thinking." });
  e.add("response.content_part.done", {
    item_id: "rs_0",
    output_index: 0,
    content_index: 0,
    part: { type: "reasoning_text", text: "Thinking." },
  });
  e.add("response.reasoning_summary_part.added", {
    item_id: "rs_0",
    output_index: 0,
    summary_index: 0,
    part: { type: "summary_text", text: "" },
  });
  e.add("response.reasoning_summary_text.delta", {
    item_id: "rs_0",
    output_index: 0,
    summary_index: 0,
    delta: "Sum",
  });
  e.add("response.reasoning_summary_text.delta", {
    item_id: "rs_0",
    output_index: 0,
    summary_index: 0,
    delta: "mary",
  });
  e.add("response.reasoning_summary_text.done", {
    item_id: "rs_0",
    output_index: 0,
    summary_index: 0,
    text: "Summary",
  });
  e.add("response.reasoning_summary_part.done", {
    item_id: "rs_0",
    output_index: 0,
    summary_index: 0,
    part: { type: "summary_text", text: "Summary" },
  });
  const reasoning = {
    type: "reasoning",
    id: "rs_0",
    content: [{ type: "reasoning_text", text: "Thinking." }],
    summary: [{ type: "summary_text", text: "Summary" }],
  };
  e.add("response.output_item.done", { output_index: 0, item: reasoning });
  // 1: message with text + annotation, and a refusal part
  e.add("response.output_item.added", {
    output_index: 1,
    item: { type: "message", id: "msg_1", status: "in_progress", role: "assistant", content: [] },
  });
  e.add("response.content_part.added", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 0,
    part: { type: "output_text", text: "", annotations: [] },
  });
  e.add("response.output_text.delta", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 0,
    delta: "Héllo ",
  });
  e.add("response.output_text.delta", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 0,
    delta: "世界 🎉",
  });
  const annotation = {
    type: "url_citation",
    url: "https://example.com",
    start_index: 0,
    end_index: 5,
    title: "Ex",
  };
  e.add("response.output_text.annotation.added", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 0,
    annotation_index: 0,
    annotation,
  });
  e.add("response.output_text.done", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 0,
    text: "Héllo 世界 🎉",
  });
  e.add("response.content_part.done", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 0,
    part: { type: "output_text", text: "Héllo 世界 🎉", annotations: [annotation] },
  });
  e.add("response.content_part.added", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 1,
    part: { type: "refusal", refusal: "" },
  });
  e.add("response.refusal.delta", { item_id: "msg_1", output_index: 1, content_index: 1, delta: "No, " });
  e.add("response.refusal.delta", { item_id: "msg_1", output_index: 1, content_index: 1, delta: "sorry." });
  e.add("response.refusal.done", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 1,
    refusal: "No, sorry.",
  });
  e.add("response.content_part.done", {
    item_id: "msg_1",
    output_index: 1,
    content_index: 1,
    part: { type: "refusal", refusal: "No, sorry." },
  });
  const message = {
    type: "message",
    id: "msg_1",
    status: "completed",
    role: "assistant",
    content: [
      { type: "output_text", text: "Héllo 世界 🎉", annotations: [annotation] },
      { type: "refusal", refusal: "No, sorry." },
    ],
  };
  e.add("response.output_item.done", { output_index: 1, item: message });
  // 2: function call
  e.add("response.output_item.added", {
    output_index: 2,
    item: {
      type: "function_call",
      id: "fc_2",
      call_id: "call_2",
      name: "get_weather",
      arguments: "",
      status: "in_progress",
    },
  });
  e.add("response.function_call_arguments.delta", { item_id: "fc_2", output_index: 2, delta: '{"city":' });
  e.add("response.function_call_arguments.delta", { item_id: "fc_2", output_index: 2, delta: '"Paris"}' });
  e.add("response.function_call_arguments.done", {
    item_id: "fc_2",
    output_index: 2,
    arguments: '{"city":"Paris"}',
  });
  const call = {
    type: "function_call",
    id: "fc_2",
    call_id: "call_2",
    name: "get_weather",
    arguments: '{"city":"Paris"}',
    status: "completed",
  };
  e.add("response.output_item.done", { output_index: 2, item: call });
  const output = [reasoning, message, call];
  e.completed(output);
  return { events: e.list, output };
}

export interface SSEOptions {
  /** Line ending: "\n" (default), "\r\n" or "\r". */
  eol?: string;
  /** Write `event:` lines (default true). */
  eventLines?: boolean;
  /** End with `data: [DONE]` (default true). */
  done?: boolean;
  /** Insert a comment line before every event. */
  comments?: boolean;
}

export function toSSE(events: Loose[], options: SSEOptions = {}): string {
  const eol = options.eol ?? "\n";
  let out = "";
  for (const event of events) {
    if (options.comments) out += `: keep-alive${eol}`;
    if (options.eventLines !== false) out += `event: ${String(event.type)}${eol}`;
    out += `data: ${JSON.stringify(event)}${eol}${eol}`;
  }
  if (options.done !== false) out += `data: [DONE]${eol}${eol}`;
  return out;
}

/** A web ReadableStream over the given chunks (bytes or text). */
export function chunkStream(chunks: Array<Uint8Array | string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    },
  });
}

/** An HTTP-like `Response` whose body is the given SSE text, optionally split into chunks. */
export function sseResponse(text: string | string[], headers: Record<string, string> = {}): Response {
  return new Response(chunkStream(typeof text === "string" ? [text] : text), {
    headers: { "content-type": "text/event-stream", ...headers },
  });
}
