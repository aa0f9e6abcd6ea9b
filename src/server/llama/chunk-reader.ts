/**
 * The engine's response chunks as the kit's parts: main text → `text`; thinking segments →
 * `reasoning`; the commentary channel of formats that have one (gpt-oss) → a message with phase
 * `commentary`, and the answer after it a message with phase `final_answer`.
 */

import type { LlamaChatResponseChunk } from "node-llama-cpp";
import type { ModelPart } from "../model.js";
import type { PartQueue } from "./part-queue.js";

/** Reads chunks into a queue of parts, tracking the commentary channel and reasoning tokens. */
export class ChunkReader {
  reasoningTokens = 0;
  /** Whether the answer has shown anything but reasoning: text, or a function call. */
  answered = false;
  #inCommentary = false;
  #hadCommentary = false;

  /** `showReasoning` false (effort `none`): a format that opens thinking by itself still gets a token or
   * two in before the zero budget closes it; they are counted, not shown. */
  constructor(
    private readonly queue: PartQueue<ModelPart>,
    private readonly showReasoning: boolean,
  ) {}

  read(chunk: LlamaChatResponseChunk): void {
    const { queue } = this;
    if (chunk.type === "segment" && chunk.segmentType === "thought") {
      this.reasoningTokens += chunk.tokens.length;
      if (chunk.text !== "" && this.showReasoning) queue.push({ type: "reasoning", delta: chunk.text });
      return;
    }
    if (chunk.type === "segment") {
      if (!this.#inCommentary) {
        queue.push({ type: "end_item" });
        queue.push({ type: "phase", phase: "commentary" });
        this.#inCommentary = true;
        this.#hadCommentary = true;
      }
      if (chunk.text !== "") {
        queue.push({ type: "text", delta: chunk.text });
        this.answered = true;
      }
      if (chunk.segmentEndTime !== undefined) {
        queue.push({ type: "end_item" });
        this.#inCommentary = false;
      }
      return;
    }
    if (chunk.text === "") return;
    if (this.#inCommentary || this.#hadCommentary) {
      queue.push({ type: "end_item" });
      queue.push({ type: "phase", phase: "final_answer" });
      this.#inCommentary = false;
      this.#hadCommentary = false;
    }
    queue.push({ type: "text", delta: chunk.text });
    this.answered = true;
  }
}
