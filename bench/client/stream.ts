/**
 * The benchmark's stream: one assistant message whose text arrives as many `output_text` deltas, laid out
 * exactly as S4–S9 require (created, in_progress, item and part lifecycles, done events, completed,
 * [DONE]). Deltas carry the fields real servers send (`logprobs`, `obfuscation`) so payloads are realistic.
 */

const WORDS = [
  "the",
  " stream",
  " engine",
  " turns",
  " bytes",
  " into",
  " events",
  ",",
  " and",
  " events",
  " into",
  " a",
  " response",
  ". ",
  "Ünïcödé",
  " 世界",
];

function responseObject(status: string, output: unknown[]): Record<string, unknown> {
  return {
    id: "resp_bench",
    object: "response",
    created_at: 1_700_000_000,
    completed_at: status === "completed" ? 1_700_000_100 : null,
    status,
    incomplete_details: null,
    model: "bench-model",
    previous_response_id: null,
    instructions: null,
    output,
    error: null,
    tools: [],
    tool_choice: "auto",
    truncation: "disabled",
    parallel_tool_calls: true,
    text: { format: { type: "text" } },
    top_p: 1,
    presence_penalty: 0,
    frequency_penalty: 0,
    top_logprobs: 0,
    temperature: 1,
    reasoning: null,
    usage: {
      input_tokens: 10,
      output_tokens: 100_000,
      total_tokens: 100_010,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    },
    max_output_tokens: null,
    max_tool_calls: null,
    store: false,
    background: false,
    service_tier: "default",
    metadata: {},
    safety_identifier: null,
    prompt_cache_key: null,
  };
}

export interface BenchStream {
  /** The SSE body, ready to write. */
  body: Buffer;
  /** Number of events in it (excluding [DONE]). */
  events: number;
  /** The text the deltas spell. */
  text: string;
}

export function buildBenchStream(deltaCount: number): BenchStream {
  const lines: string[] = [];
  let sequence = 0;
  const emit = (event: Record<string, unknown>) => {
    const full = { ...event, sequence_number: sequence++ };
    lines.push(`event: ${String(event.type)}\ndata: ${JSON.stringify(full)}\n\n`);
  };
  const itemId = "msg_0123456789abcdef0123456789abcdef";
  emit({ type: "response.created", response: responseObject("in_progress", []) });
  emit({ type: "response.in_progress", response: responseObject("in_progress", []) });
  emit({
    type: "response.output_item.added",
    output_index: 0,
    item: { type: "message", id: itemId, status: "in_progress", role: "assistant", content: [] },
  });
  emit({
    type: "response.content_part.added",
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    part: { type: "output_text", text: "", annotations: [], logprobs: [] },
  });
  const pieces: string[] = [];
  for (let i = 0; i < deltaCount; i++) {
    const delta = WORDS[i % WORDS.length]!;
    pieces.push(delta);
    emit({
      type: "response.output_text.delta",
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta,
      logprobs: [],
      obfuscation: "xK3p9QzL".slice(0, 8 - (delta.length % 8)),
    });
  }
  const text = pieces.join("");
  const part = { type: "output_text", text, annotations: [], logprobs: [] };
  emit({
    type: "response.output_text.done",
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    text,
    logprobs: [],
  });
  emit({ type: "response.content_part.done", item_id: itemId, output_index: 0, content_index: 0, part });
  const item = { type: "message", id: itemId, status: "completed", role: "assistant", content: [part] };
  emit({ type: "response.output_item.done", output_index: 0, item });
  emit({ type: "response.completed", response: responseObject("completed", [item]) });
  const events = sequence;
  lines.push("data: [DONE]\n\n");
  return { body: Buffer.from(lines.join(""), "utf8"), events, text };
}

/**
 * The parallel-calls stream: `calls` function calls opened together, their arguments arriving as
 * `deltasPerCall` small deltas each, interleaved call by call (as a model calling tools in parallel
 * sends them), then each call's done events and the completed response.
 */
export function buildCallsStream(calls: number, deltasPerCall: number): BenchStream {
  const lines: string[] = [];
  let sequence = 0;
  const emit = (event: Record<string, unknown>) => {
    const full = { ...event, sequence_number: sequence++ };
    lines.push(`event: ${String(event.type)}\ndata: ${JSON.stringify(full)}\n\n`);
  };
  emit({ type: "response.created", response: responseObject("in_progress", []) });
  emit({ type: "response.in_progress", response: responseObject("in_progress", []) });
  const ids = Array.from({ length: calls }, (_, i) => `fc_${String(i).padStart(32, "0")}`);
  const args = ids.map(() => [] as string[]);
  ids.forEach((id, index) => {
    emit({
      type: "response.output_item.added",
      output_index: index,
      item: {
        type: "function_call",
        id,
        call_id: `call_${index}`,
        name: "get_weather",
        arguments: "",
        status: "in_progress",
      },
    });
  });
  for (let d = 0; d < deltasPerCall; d++) {
    ids.forEach((id, index) => {
      const delta =
        d === 0 ? '{"city":"' : d === deltasPerCall - 1 ? '"}' : WORDS[(d + index) % WORDS.length]!;
      args[index]!.push(delta);
      emit({ type: "response.function_call_arguments.delta", item_id: id, output_index: index, delta });
    });
  }
  const items = ids.map((id, index) => {
    const full = args[index]!.join("");
    emit({
      type: "response.function_call_arguments.done",
      item_id: id,
      output_index: index,
      arguments: full,
    });
    const item = {
      type: "function_call",
      id,
      call_id: `call_${index}`,
      name: "get_weather",
      arguments: full,
      status: "completed",
    };
    emit({ type: "response.output_item.done", output_index: index, item });
    return item;
  });
  emit({ type: "response.completed", response: responseObject("completed", items) });
  const events = sequence;
  lines.push("data: [DONE]\n\n");
  return { body: Buffer.from(lines.join(""), "utf8"), events, text: args.map((a) => a.join("")).join("") };
}
