/**
 * Chat Completions chunks → model parts, one chunk at a time as they arrive. Reasoning comes from
 * `reasoning_content`, `reasoning` or a leading `<think>` block; tool calls are followed by `index`,
 * each streamed as its own call as soon as its name (and id) are known, pieces of arguments included;
 * `finish_reason` `length` and `content_filter` end the response incomplete after the last chunk (so a
 * trailing usage chunk still counts). What real servers send is tolerated: chunks without choices, a
 * usage-only last chunk, `null` everywhere, an `error` object in a chunk (which fails the response).
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import type { Usage } from "../../../spec/index.js";
import type { ModelPart } from "../../model.js";
import { upstreamReportedError, upstreamStreamError } from "../upstream-errors.js";
import { ThinkSplitter } from "./think.js";
import type { ChatUsage } from "./wire.js";

interface CallState {
  key: string;
  id: string | undefined;
  name: string | undefined;
  /** Argument pieces received before the call could be started. */
  held: string;
  started: boolean;
  ended: boolean;
}

export interface ChatStreamOptions {
  upstream: string;
  /** Read a leading `<think>…</think>` block of the content as reasoning. */
  thinkTags: boolean;
}

export class ChatStreamMapper {
  readonly #options: ChatStreamOptions;
  readonly #think: ThinkSplitter | null;
  readonly #calls = new Map<number, CallState>();
  #finishReason: string | null = null;
  #callCount = 0;
  #usage: Partial<Usage> | null = null;

  constructor(options: ChatStreamOptions) {
    this.#options = options;
    this.#think = options.thinkTags ? new ThinkSplitter() : null;
  }

  /** Whether the upstream said why it stopped (a stream that ends without it was cut). */
  get finished(): boolean {
    return this.#finishReason !== null;
  }

  /** The parts of one `chat.completion.chunk`. */
  chunk(chunk: unknown): ModelPart[] {
    if (!isRecord(chunk))
      throw upstreamStreamError(this.#options.upstream, "sent a chunk that is not an object.");
    if (chunk.error !== undefined && chunk.error !== null)
      throw upstreamReportedError(this.#options.upstream, chunk);
    const parts: ModelPart[] = [];
    if (isRecord(chunk.usage)) this.#usage = usageOf(chunk.usage as ChatUsage);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    // One choice is asked for (no `n`); a server that sends more is read for its first one only.
    const choice = choices.find((entry) => isRecord(entry) && (entry.index ?? 0) === 0) as
      | JsonRecord
      | undefined;
    if (choice === undefined) return parts;
    const delta = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : {};
    this.#content(delta, parts);
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (isRecord(call)) this.#toolCall(call, parts);
    }
    if (typeof choice.finish_reason === "string" && choice.finish_reason !== "") {
      this.#finishReason = choice.finish_reason;
      this.#endCalls(parts);
    }
    return parts;
  }

  /** A whole `chat.completion` (an upstream that answered without streaming). */
  completion(body: unknown): ModelPart[] {
    if (!isRecord(body)) throw upstreamStreamError(this.#options.upstream, "answer is not an object.");
    return [...this.chunk(body), ...this.end()];
  }

  /** The stream ended: flush held text, close calls, then usage and the incomplete reason, if any. */
  end(): ModelPart[] {
    const parts: ModelPart[] = [];
    if (this.#think !== null) this.#split(this.#think.finish(), parts);
    this.#endCalls(parts);
    if (this.#usage !== null) parts.push({ type: "usage", usage: this.#usage });
    if (this.#finishReason === "length") parts.push({ type: "incomplete", reason: "max_output_tokens" });
    else if (this.#finishReason === "content_filter")
      parts.push({ type: "incomplete", reason: "content_filter" });
    return parts;
  }

  #content(delta: JsonRecord, parts: ModelPart[]): void {
    const reasoning = textField(delta.reasoning_content) ?? textField(delta.reasoning);
    if (reasoning) parts.push({ type: "reasoning", delta: reasoning });
    const content = textField(delta.content);
    if (content) {
      if (this.#think === null) parts.push({ type: "text", delta: content });
      else this.#split(this.#think.push(content), parts);
    }
    const refusal = textField(delta.refusal);
    if (refusal) parts.push({ type: "refusal", delta: refusal });
  }

  #split(split: { reasoning: string; text: string }, parts: ModelPart[]): void {
    if (split.reasoning !== "") parts.push({ type: "reasoning", delta: split.reasoning });
    if (split.text !== "") parts.push({ type: "text", delta: split.text });
  }

  #toolCall(call: JsonRecord, parts: ModelPart[]): void {
    const index = typeof call.index === "number" ? call.index : this.#calls.size;
    let state = this.#calls.get(index);
    if (state === undefined || state.ended) {
      this.#callCount += 1;
      state = {
        key: `call${this.#callCount}`,
        id: undefined,
        name: undefined,
        held: "",
        started: false,
        ended: false,
      };
      this.#calls.set(index, state);
    }
    const fn = isRecord(call.function) ? call.function : {};
    const id = textField(call.id);
    const name = textField(fn.name);
    // Some servers repeat the id and name on every piece: the first ones count.
    if (id !== null && state.id === undefined) state.id = id;
    if (name !== null && state.name === undefined) state.name = name;
    const piece = typeof fn.arguments === "string" ? fn.arguments : "";
    if (!state.started) {
      state.held += piece;
      // Started once its name and id are known. A server that sends no id gets one from the kit, once
      // a piece without name or id shows that the id is not coming with them.
      const noId = state.id === undefined && id === null && name === null && piece !== "";
      if (state.name !== undefined && (state.id !== undefined || noId)) this.#start(state, parts);
      return;
    }
    if (piece !== "") parts.push({ type: "function_call_delta", key: state.key, delta: piece });
  }

  #start(state: CallState, parts: ModelPart[]): void {
    state.started = true;
    parts.push({
      type: "function_call_start",
      key: state.key,
      name: state.name ?? "",
      ...(state.id === undefined ? {} : { callId: state.id }),
    });
    if (state.held !== "") parts.push({ type: "function_call_delta", key: state.key, delta: state.held });
    state.held = "";
  }

  #endCalls(parts: ModelPart[]): void {
    for (const state of this.#calls.values()) {
      if (state.ended) continue;
      if (!state.started) {
        // A call whose name never came cannot be emitted (S6 needs the name); it is dropped.
        if (state.name === undefined) {
          state.ended = true;
          continue;
        }
        this.#start(state, parts);
      }
      state.ended = true;
      parts.push({ type: "function_call_end", key: state.key });
    }
  }
}

function textField(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Chat usage → the response's usage (cached and reasoning tokens included when reported). */
export function usageOf(usage: ChatUsage): Partial<Usage> {
  const out: Partial<Usage> = {};
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const total = count(usage.total_tokens);
  if (input !== undefined) out.input_tokens = input;
  if (output !== undefined) out.output_tokens = output;
  if (total !== undefined) out.total_tokens = total;
  const cached = count(usage.prompt_tokens_details?.cached_tokens);
  if (cached !== undefined) out.input_tokens_details = { cached_tokens: cached };
  const reasoning = count(usage.completion_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) out.output_tokens_details = { reasoning_tokens: reasoning };
  return out;
}
