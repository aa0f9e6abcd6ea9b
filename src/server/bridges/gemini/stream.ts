/**
 * Gemini's stream (`alt=sse`: data-only events, each a `GenerateContentResponse`) as model parts, chunk
 * by chunk. Thought parts stream as reasoning; other parts as text and function calls.
 *
 * A `thoughtSignature` can ride on any part. Each one becomes a reasoning item whose `encrypted_content`
 * records where it goes back (read by `contents.ts`):
 * - on a thought part: that reasoning item itself holds the thought (`on: "thought"`, with its text);
 * - on a function call: a reasoning item just before the call (`on: "functionCall"`: the next part);
 * - on text: a reasoning item just after the text (`on: "text"`: the text before it, or, when it came on
 *   an empty text part, a part of its own: `standalone`).
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import type { Usage } from "../../../spec/index.js";
import type { ModelPart } from "../../model.js";
import { encodeProviderState } from "../provider-state.js";
import { SYNTHETIC_CALL_PREFIX } from "./wire.js";

/** Finish reasons that mean a content filter stopped the answer. */
const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

/** Finish reasons that mean the answer broke (a tool call it could not make, a response it could not form). */
const BROKEN = new Set([
  "MALFORMED_FUNCTION_CALL",
  "UNEXPECTED_TOOL_CALL",
  "TOO_MANY_TOOL_CALLS",
  "MISSING_THOUGHT_SIGNATURE",
  "MALFORMED_RESPONSE",
]);

/** What the mapper throws for an `error` object in the stream or a broken tool call. */
export type GeminiErrorFactory = (error: JsonRecord) => Error;

export class GeminiStreamMapper {
  readonly #streamError: GeminiErrorFactory;
  readonly #newCallId: () => string;
  /** The thought being streamed (one reasoning item), or null. */
  #thought: { text: string } | null = null;
  /** A signature that came on text, waiting for the text to end. */
  #textSignature: { signature: string; standalone: boolean } | null = null;
  #finishReason: string | null = null;
  #blockReason: string | null = null;
  /** The last `usageMetadata` (each chunk's is cumulative); read once, at the end. */
  #usage: JsonRecord | null = null;

  constructor(
    streamError: GeminiErrorFactory,
    newCallId = () => SYNTHETIC_CALL_PREFIX + crypto.randomUUID().replaceAll("-", ""),
  ) {
    this.#streamError = streamError;
    this.#newCallId = newCallId;
  }

  /** True once a chunk carried a finish reason (or the prompt was blocked): the answer is complete. */
  get finished(): boolean {
    return this.#finishReason !== null || this.#blockReason !== null;
  }

  /** The parts for one chunk (its parsed JSON). */
  chunk(data: unknown): ModelPart[] {
    if (!isRecord(data)) return [];
    if (isRecord(data.error)) throw this.#streamError(data.error);
    const parts: ModelPart[] = [];
    if (isRecord(data.usageMetadata)) this.#usage = data.usageMetadata;
    if (isRecord(data.promptFeedback) && typeof data.promptFeedback.blockReason === "string")
      this.#blockReason = data.promptFeedback.blockReason;
    const candidate =
      Array.isArray(data.candidates) && isRecord(data.candidates[0]) ? data.candidates[0] : undefined;
    const content = candidate !== undefined && isRecord(candidate.content) ? candidate.content : undefined;
    if (content !== undefined && Array.isArray(content.parts)) {
      for (const part of content.parts) if (isRecord(part)) this.#part(part, parts);
    }
    if (typeof candidate?.finishReason === "string" && candidate.finishReason !== "FINISH_REASON_UNSPECIFIED")
      this.#finishReason = candidate.finishReason;
    return parts;
  }

  /** The parts that close the answer, once the stream ended after a finish reason. */
  end(): ModelPart[] {
    const parts: ModelPart[] = [];
    this.#closeThought(parts);
    this.#closeTextSignature(parts);
    if (this.#usage !== null) parts.push({ type: "usage", usage: toUsage(this.#usage) });
    if (this.#blockReason !== null) {
      parts.push({ type: "incomplete", reason: "content_filter" });
      return parts;
    }
    const reason = this.#finishReason;
    if (reason === null || reason === "STOP") return parts;
    if (reason === "MAX_TOKENS") parts.push({ type: "incomplete", reason: "max_output_tokens" });
    else if (FILTERED.has(reason)) parts.push({ type: "incomplete", reason: "content_filter" });
    else if (BROKEN.has(reason))
      throw this.#streamError({
        status: "MODEL_ERROR",
        message: `The upstream model's answer broke off (Gemini finishReason ${reason}).`,
      });
    else parts.push({ type: "incomplete", reason: reason.toLowerCase() });
    return parts;
  }

  #part(part: JsonRecord, out: ModelPart[]): void {
    const signature =
      typeof part.thoughtSignature === "string" && part.thoughtSignature !== ""
        ? part.thoughtSignature
        : undefined;
    if (part.thought === true) {
      this.#closeTextSignature(out);
      const text = typeof part.text === "string" ? part.text : "";
      this.#thought ??= { text: "" };
      this.#thought.text += text;
      if (text !== "") out.push({ type: "reasoning", delta: text });
      if (signature !== undefined) this.#closeThought(out, signature);
      return;
    }
    if (isRecord(part.functionCall)) {
      this.#closeThought(out);
      this.#closeTextSignature(out);
      if (signature !== undefined) this.#state(out, { on: "functionCall", signature });
      const call = part.functionCall;
      const callId = typeof call.id === "string" && call.id !== "" ? call.id : this.#newCallId();
      out.push({
        type: "function_call",
        name: String(call.name ?? ""),
        arguments: JSON.stringify(isRecord(call.args) ? call.args : {}),
        callId,
      });
      return;
    }
    if (typeof part.text === "string") {
      this.#closeThought(out);
      if (part.text !== "") {
        // Text after a signed text piece: that signature belonged to the earlier piece.
        this.#closeTextSignature(out);
        out.push({ type: "text", delta: part.text });
      }
      if (signature !== undefined) {
        this.#closeTextSignature(out);
        this.#textSignature = { signature, standalone: part.text === "" };
      }
    }
    // Inline data, code execution and newer part types: nothing this bridge asked for.
  }

  #closeThought(out: ModelPart[], signature?: string): void {
    const thought = this.#thought;
    if (thought === null) return;
    this.#thought = null;
    if (signature !== undefined) this.#state(out, { on: "thought", text: thought.text, signature });
    else out.push({ type: "end_item" });
  }

  #closeTextSignature(out: ModelPart[]): void {
    const pending = this.#textSignature;
    if (pending === null) return;
    this.#textSignature = null;
    this.#state(out, { on: "text", ...pending });
  }

  /** A reasoning item holding a signature, closed at once so that what follows is a new item. */
  #state(out: ModelPart[], state: JsonRecord): void {
    out.push(
      { type: "reasoning_encrypted", encryptedContent: encodeProviderState("gemini", state) },
      { type: "end_item" },
    );
  }
}

const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** `usageMetadata` as spec usage: thoughts are reasoning tokens, counted in the output as the spec counts them. */
export function toUsage(metadata: JsonRecord): Partial<Usage> {
  const input = count(metadata.promptTokenCount) + count(metadata.toolUsePromptTokenCount);
  const reasoning = count(metadata.thoughtsTokenCount);
  const output = count(metadata.candidatesTokenCount) + reasoning;
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: typeof metadata.totalTokenCount === "number" ? metadata.totalTokenCount : input + output,
    input_tokens_details: { cached_tokens: count(metadata.cachedContentTokenCount) },
    output_tokens_details: { reasoning_tokens: reasoning },
  };
}
