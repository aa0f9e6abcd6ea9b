/**
 * An Open Responses upstream's events → model parts, so the kit's writer re-emits them: that repairs
 * what such servers get wrong (missing `event:` lines or `[DONE]`, missing `.done` events, gaps in
 * sequence numbers, ids that change between deltas and the snapshot) because none of it is copied.
 * Deltas are followed per output item; when an item's `.done` holds more than its deltas carried (a
 * server that sends only done events), the missing rest is emitted then. Both reasoning-event spellings
 * are read. Hosted-tool items without a provider prefix are not re-emitted (they break X1).
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import type { Annotation, Usage } from "../../../spec/index.js";
import type { ModelPart } from "../../model.js";
import { upstreamReportedError, upstreamStreamError } from "../upstream-errors.js";

interface ItemState {
  type: string;
  /** What the deltas carried so far, per content or summary index (text), or the arguments. */
  streamed: Map<string, string>;
  callKey?: string;
  callStarted?: boolean;
}

export class ResponsesStreamMapper {
  readonly #upstream: string;
  readonly #items = new Map<number, ItemState>();
  readonly #indexById = new Map<string, number>();
  #terminal: "completed" | "incomplete" | null = null;
  #incompleteReason = "max_output_tokens";
  #usage: Partial<Usage> | null = null;

  constructor(upstream: string) {
    this.#upstream = upstream;
  }

  /** Whether a terminal event arrived (a stream that ends without one was cut). */
  get finished(): boolean {
    return this.#terminal !== null;
  }

  event(value: unknown): ModelPart[] {
    if (!isRecord(value) || typeof value.type !== "string") {
      throw upstreamStreamError(this.#upstream, "sent an event without a type.");
    }
    const parts: ModelPart[] = [];
    const type = value.type;
    switch (type) {
      case "response.output_item.added":
        this.#added(value, parts);
        break;
      case "response.output_item.done":
        this.#done(value, parts);
        break;
      case "response.output_text.delta":
        this.#delta(value, "content", "text", parts);
        break;
      case "response.refusal.delta":
        this.#delta(value, "content", "refusal", parts);
        break;
      case "response.reasoning.delta":
      case "response.reasoning_text.delta":
        this.#delta(value, "content", "reasoning", parts);
        break;
      case "response.reasoning_summary_text.delta":
        this.#delta(value, "summary", "reasoning_summary", parts);
        break;
      case "response.function_call_arguments.delta":
        this.#argumentsDelta(value, parts);
        break;
      case "response.output_text.annotation.added":
        if (isRecord(value.annotation) && typeof value.annotation.type === "string") {
          parts.push({ type: "annotation", annotation: value.annotation as unknown as Annotation });
        }
        break;
      case "response.completed":
      case "response.incomplete":
        this.#finish(value);
        break;
      case "response.failed": {
        const response = isRecord(value.response) ? value.response : {};
        throw upstreamReportedError(this.#upstream, {
          error: response.error ?? { message: "the response failed" },
        });
      }
      case "error":
        throw upstreamReportedError(this.#upstream, value);
      default:
        break;
    }
    return parts;
  }

  /** A whole response resource (an upstream that answered without streaming). */
  resource(body: unknown): ModelPart[] {
    if (!isRecord(body) || !Array.isArray(body.output)) {
      throw upstreamStreamError(this.#upstream, "answer is not a response.");
    }
    if (body.status === "failed") throw upstreamReportedError(this.#upstream, { error: body.error });
    const parts: ModelPart[] = [];
    body.output.forEach((item, index) => {
      this.#added({ output_index: index, item }, parts);
      this.#done({ output_index: index, item }, parts);
    });
    this.#finish({
      type: body.status === "incomplete" ? "response.incomplete" : "response.completed",
      response: body,
    });
    return [...parts, ...this.end()];
  }

  /** After the last event: usage, and the incomplete reason if the upstream ended incomplete. */
  end(): ModelPart[] {
    const parts: ModelPart[] = [];
    if (this.#usage !== null) parts.push({ type: "usage", usage: this.#usage });
    if (this.#terminal === "incomplete") parts.push({ type: "incomplete", reason: this.#incompleteReason });
    return parts;
  }

  #finish(value: JsonRecord): void {
    this.#terminal = value.type === "response.incomplete" ? "incomplete" : "completed";
    const response = isRecord(value.response) ? value.response : {};
    if (isRecord(response.usage)) this.#usage = usageOf(response.usage);
    const details = isRecord(response.incomplete_details) ? response.incomplete_details : {};
    if (typeof details.reason === "string") this.#incompleteReason = details.reason;
  }

  #added(value: JsonRecord, parts: ModelPart[]): void {
    const item = isRecord(value.item) ? value.item : {};
    const index = typeof value.output_index === "number" ? value.output_index : this.#items.size;
    const type = typeof item.type === "string" ? item.type : "";
    const state: ItemState = { type, streamed: new Map() };
    this.#items.set(index, state);
    if (typeof item.id === "string") this.#indexById.set(item.id, index);
    if (type === "message" || type === "reasoning") {
      // Each upstream item is its own item here too: close whatever the writer has open.
      parts.push({ type: "end_item" });
      if (type === "message" && (item.phase === "commentary" || item.phase === "final_answer")) {
        parts.push({ type: "phase", phase: item.phase });
      }
    } else if (type === "function_call") {
      state.callKey = `item${index}`;
      if (typeof item.name === "string" && item.name !== "") this.#startCall(state, item, parts);
    }
  }

  #startCall(state: ItemState, item: JsonRecord, parts: ModelPart[]): void {
    state.callStarted = true;
    parts.push({
      type: "function_call_start",
      key: state.callKey ?? "",
      name: String(item.name),
      ...(typeof item.call_id === "string" && item.call_id !== "" ? { callId: item.call_id } : {}),
    });
    const held = state.streamed.get("arguments");
    if (held) parts.push({ type: "function_call_delta", key: state.callKey ?? "", delta: held });
  }

  #state(value: JsonRecord): ItemState | undefined {
    const index =
      typeof value.output_index === "number"
        ? value.output_index
        : typeof value.item_id === "string"
          ? this.#indexById.get(value.item_id)
          : undefined;
    return index === undefined ? undefined : this.#items.get(index);
  }

  #delta(
    value: JsonRecord,
    family: "content" | "summary",
    part: "text" | "refusal" | "reasoning" | "reasoning_summary",
    parts: ModelPart[],
  ): void {
    const delta = typeof value.delta === "string" ? value.delta : "";
    if (delta === "") return;
    const position = family === "content" ? value.content_index : value.summary_index;
    const slot = `${family}:${typeof position === "number" ? position : 0}:${part}`;
    const state = this.#state(value);
    if (state !== undefined) state.streamed.set(slot, (state.streamed.get(slot) ?? "") + delta);
    if (part === "reasoning_summary") {
      parts.push({ type: part, delta, ...(typeof position === "number" ? { summaryIndex: position } : {}) });
    } else {
      parts.push({ type: part, delta });
    }
  }

  #argumentsDelta(value: JsonRecord, parts: ModelPart[]): void {
    const state = this.#state(value);
    const delta = typeof value.delta === "string" ? value.delta : "";
    if (state?.callKey === undefined || delta === "") return;
    state.streamed.set("arguments", (state.streamed.get("arguments") ?? "") + delta);
    if (state.callStarted) parts.push({ type: "function_call_delta", key: state.callKey, delta });
  }

  /** The item is complete: emit what its deltas did not carry, then close it. */
  #done(value: JsonRecord, parts: ModelPart[]): void {
    const item = isRecord(value.item) ? value.item : {};
    let state = this.#state(value);
    if (state === undefined) {
      // A done without its added: treat it as both.
      this.#added(value, parts);
      state = this.#state(value);
      if (state === undefined) return;
    }
    if (state.type === "function_call") {
      if (!state.callStarted && typeof item.name === "string" && item.name !== "")
        this.#startCall(state, item, parts);
      if (!state.callStarted) return;
      const rest = missing(state.streamed.get("arguments") ?? "", item.arguments);
      if (rest !== "") parts.push({ type: "function_call_delta", key: state.callKey ?? "", delta: rest });
      parts.push({ type: "function_call_end", key: state.callKey ?? "" });
      return;
    }
    if (state.type === "message" && Array.isArray(item.content)) {
      item.content.forEach((content, index) => {
        if (!isRecord(content)) return;
        if (content.type === "output_text")
          this.#rest(state, `content:${index}:text`, content.text, "text", parts);
        if (content.type === "refusal")
          this.#rest(state, `content:${index}:refusal`, content.refusal, "refusal", parts);
      });
      parts.push({ type: "end_item" });
      return;
    }
    if (state.type === "reasoning") {
      if (Array.isArray(item.content)) {
        item.content.forEach((content, index) => {
          if (isRecord(content))
            this.#rest(state, `content:${index}:reasoning`, content.text, "reasoning", parts);
        });
      }
      if (Array.isArray(item.summary)) {
        item.summary.forEach((summary, index) => {
          if (!isRecord(summary)) return;
          const rest = missing(state.streamed.get(`summary:${index}:reasoning_summary`) ?? "", summary.text);
          if (rest !== "") parts.push({ type: "reasoning_summary", delta: rest, summaryIndex: index });
        });
      }
      if (typeof item.encrypted_content === "string" && item.encrypted_content !== "") {
        parts.push({ type: "reasoning_encrypted", encryptedContent: item.encrypted_content });
      }
      parts.push({ type: "end_item" });
      return;
    }
    // A provider-prefixed item (X1) passes through; anything else has no standard shape to re-emit.
    if (state.type.includes(":")) {
      parts.push({ type: "item", item: item as { type: `${string}:${string}` } });
    }
  }

  #rest(
    state: ItemState,
    slot: string,
    full: unknown,
    part: "text" | "refusal" | "reasoning",
    parts: ModelPart[],
  ): void {
    const rest = missing(state.streamed.get(slot) ?? "", full);
    if (rest !== "") parts.push({ type: part, delta: rest });
  }
}

/** What `full` has beyond what was streamed (nothing when they disagree: the deltas already went out). */
function missing(streamed: string, full: unknown): string {
  if (typeof full !== "string" || full.length <= streamed.length || !full.startsWith(streamed)) return "";
  return full.slice(streamed.length);
}

/** The numeric fields of an upstream's usage (a server may send nulls or leave details out). */
function usageOf(usage: JsonRecord): Partial<Usage> {
  const count = (value: unknown) =>
    typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
  const out: Partial<Usage> = {};
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const total = count(usage.total_tokens);
  if (input !== undefined) out.input_tokens = input;
  if (output !== undefined) out.output_tokens = output;
  if (total !== undefined) out.total_tokens = total;
  const cached = count(
    isRecord(usage.input_tokens_details) ? usage.input_tokens_details.cached_tokens : undefined,
  );
  if (cached !== undefined) out.input_tokens_details = { cached_tokens: cached };
  const reasoning = count(
    isRecord(usage.output_tokens_details) ? usage.output_tokens_details.reasoning_tokens : undefined,
  );
  if (reasoning !== undefined) out.output_tokens_details = { reasoning_tokens: reasoning };
  return out;
}
