/**
 * Anthropic's streaming events (`message_start`, `content_block_start`/`_delta`/`_stop`,
 * `message_delta`, `message_stop`, `ping`, `error`) as model parts, one event at a time, so text,
 * thinking and tool arguments reach the client as they arrive. Each content block is its own piece of
 * output: a thinking block one reasoning item (its signature, with its text, in `encrypted_content`), a
 * `tool_use` block one function call whose arguments stream from `input_json_delta`.
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import type { Usage } from "../../../spec/index.js";
import type { ModelPart } from "../../model.js";
import { encodeProviderState } from "../provider-state.js";

type Block =
  | { kind: "text" }
  | { kind: "thinking"; thinking: string; signature: string }
  | { kind: "tool_use"; key: string; argumentChars: number }
  | { kind: "other" };

/** Turns the `error` event's `error` object into what the model throws (the bridge maps the upstream's error types). */
export type StreamErrorFactory = (error: JsonRecord) => Error;

export class AnthropicStreamMapper {
  readonly #blocks = new Map<number, Block>();
  readonly #streamError: StreamErrorFactory;
  #usage: JsonRecord = {};
  #stopReason: string | null = null;
  #refusalExplanation: string | null = null;
  #stopped = false;

  constructor(streamError: StreamErrorFactory) {
    this.#streamError = streamError;
  }

  /** True once `message_stop` arrived: the answer is complete. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** The parts for one event (`data` is its parsed JSON; its `type` names it, as the `event:` line does). */
  event(data: unknown): ModelPart[] {
    if (!isRecord(data) || this.#stopped) return [];
    switch (data.type) {
      case "message_start":
        if (isRecord(data.message) && isRecord(data.message.usage)) return this.#addUsage(data.message.usage);
        return [];
      case "content_block_start":
        return this.#start(data);
      case "content_block_delta":
        return this.#delta(data);
      case "content_block_stop":
        return this.#stop(data);
      case "message_delta":
        if (isRecord(data.delta)) {
          if (typeof data.delta.stop_reason === "string") this.#stopReason = data.delta.stop_reason;
          const details = data.delta.stop_details;
          if (isRecord(details) && typeof details.explanation === "string")
            this.#refusalExplanation = details.explanation;
        }
        return isRecord(data.usage) ? this.#addUsage(data.usage) : [];
      case "message_stop":
        this.#stopped = true;
        return this.#finish();
      case "error":
        throw this.#streamError(isRecord(data.error) ? data.error : {});
      default:
        // `ping`, and event types added after this bridge was written.
        return [];
    }
  }

  #start(data: JsonRecord): ModelPart[] {
    const index = Number(data.index);
    const block = isRecord(data.content_block) ? data.content_block : {};
    switch (block.type) {
      case "text":
        this.#blocks.set(index, { kind: "text" });
        return typeof block.text === "string" && block.text !== ""
          ? [{ type: "text", delta: block.text }]
          : [];
      case "thinking": {
        const thinking = typeof block.thinking === "string" ? block.thinking : "";
        const signature = typeof block.signature === "string" ? block.signature : "";
        this.#blocks.set(index, { kind: "thinking", thinking, signature });
        return thinking === "" ? [] : [{ type: "reasoning", delta: thinking }];
      }
      case "redacted_thinking":
        this.#blocks.set(index, { kind: "other" });
        return [
          {
            type: "reasoning_encrypted",
            encryptedContent: encodeProviderState("anthropic", {
              type: "redacted_thinking",
              data: String(block.data ?? ""),
            }),
          },
          { type: "end_item" },
        ];
      case "tool_use": {
        const key = `block-${index}`;
        this.#blocks.set(index, { kind: "tool_use", key, argumentChars: 0 });
        const callId = typeof block.id === "string" ? { callId: block.id } : {};
        return [{ type: "function_call_start", key, name: String(block.name ?? ""), ...callId }];
      }
      default:
        // Server-tool blocks and newer block types: nothing the client asked for (hosted tools are refused).
        this.#blocks.set(index, { kind: "other" });
        return [];
    }
  }

  #delta(data: JsonRecord): ModelPart[] {
    const block = this.#blocks.get(Number(data.index));
    const delta = isRecord(data.delta) ? data.delta : {};
    if (block === undefined) return [];
    switch (delta.type) {
      case "text_delta":
        return typeof delta.text === "string" && delta.text !== ""
          ? [{ type: "text", delta: delta.text }]
          : [];
      case "thinking_delta":
        if (block.kind !== "thinking" || typeof delta.thinking !== "string" || delta.thinking === "")
          return [];
        block.thinking += delta.thinking;
        return [{ type: "reasoning", delta: delta.thinking }];
      case "signature_delta":
        if (block.kind === "thinking" && typeof delta.signature === "string")
          block.signature += delta.signature;
        return [];
      case "input_json_delta":
        if (block.kind !== "tool_use" || typeof delta.partial_json !== "string" || delta.partial_json === "")
          return [];
        block.argumentChars += delta.partial_json.length;
        return [{ type: "function_call_delta", key: block.key, delta: delta.partial_json }];
      default:
        // `citations_delta` and newer delta types.
        return [];
    }
  }

  #stop(data: JsonRecord): ModelPart[] {
    const index = Number(data.index);
    const block = this.#blocks.get(index);
    this.#blocks.delete(index);
    if (block?.kind === "thinking") {
      const state = { type: "thinking", thinking: block.thinking, signature: block.signature };
      return [
        { type: "reasoning_encrypted", encryptedContent: encodeProviderState("anthropic", state) },
        { type: "end_item" },
      ];
    }
    if (block?.kind === "tool_use") {
      // A tool without parameters may stream no JSON at all; its arguments are still an object.
      const empty: ModelPart[] =
        block.argumentChars === 0 ? [{ type: "function_call_delta", key: block.key, delta: "{}" }] : [];
      return [...empty, { type: "function_call_end", key: block.key }];
    }
    return [];
  }

  /** Usage counts are cumulative; the last value of each wins. */
  #addUsage(usage: JsonRecord): ModelPart[] {
    for (const [key, value] of Object.entries(usage)) {
      if (value !== null && value !== undefined) this.#usage[key] = value;
    }
    return [{ type: "usage", usage: toUsage(this.#usage) }];
  }

  #finish(): ModelPart[] {
    switch (this.#stopReason) {
      case "max_tokens":
      case "model_context_window_exceeded":
        return [{ type: "incomplete", reason: "max_output_tokens" }];
      case "pause_turn":
        return [{ type: "incomplete", reason: "pause_turn" }];
      case "refusal":
        return [
          {
            type: "refusal",
            delta:
              this.#refusalExplanation ?? "The model declined to continue (Anthropic stop_reason: refusal).",
          },
        ];
      default:
        return [];
    }
  }
}

const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** Anthropic's `input_tokens` leaves out cache reads and writes; the spec's input count includes them. */
export function toUsage(usage: JsonRecord): Partial<Usage> {
  const cached = count(usage.cache_read_input_tokens);
  const input = count(usage.input_tokens) + count(usage.cache_creation_input_tokens) + cached;
  const output = count(usage.output_tokens);
  const out: Partial<Usage> = {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    input_tokens_details: { cached_tokens: cached },
  };
  if (
    isRecord(usage.output_tokens_details) &&
    typeof usage.output_tokens_details.thinking_tokens === "number"
  )
    out.output_tokens_details = { reasoning_tokens: usage.output_tokens_details.thinking_tokens };
  return out;
}
