/**
 * The engine's chunks as parts, without a model: thinking is reasoning (I5), gpt-oss's commentary
 * channel is a message with phase commentary and the answer after it one with phase final_answer (I4).
 */

import type { LlamaChatResponseChunk } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { ChunkReader } from "../../../src/server/llama/chunk-reader.js";
import { PartQueue } from "../../../src/server/llama/part-queue.js";
import type { ModelPart } from "../../../src/server/model.js";

const text = (value: string): LlamaChatResponseChunk => ({
  type: undefined,
  segmentType: undefined,
  text: value,
  tokens: [],
});
const segment = (
  segmentType: "thought" | "comment",
  value: string,
  tokens = 1,
  end = false,
): LlamaChatResponseChunk => ({
  type: "segment",
  segmentType,
  text: value,
  tokens: Array.from({ length: tokens }, () => 0 as never),
  ...(end ? { segmentEndTime: new Date() } : {}),
});

async function read(chunks: LlamaChatResponseChunk[], showReasoning = true) {
  const queue = new PartQueue<ModelPart>();
  const reader = new ChunkReader(queue, showReasoning);
  for (const chunk of chunks) reader.read(chunk);
  queue.end();
  const parts: ModelPart[] = [];
  for await (const part of queue.drain()) parts.push(part);
  return { parts, reader };
}

describe("ChunkReader", () => {
  it("I5: thought segments are reasoning deltas, counted as reasoning tokens; main text is text", async () => {
    const { parts, reader } = await read([
      segment("thought", "Let me see.", 3),
      segment("thought", "", 0, true),
      text("4"),
    ]);
    expect(parts).toEqual([
      { type: "reasoning", delta: "Let me see." },
      { type: "text", delta: "4" },
    ]);
    expect(reader.reasoningTokens).toBe(3);
    expect(reader.answered).toBe(true);
  });

  it("I4: the commentary channel is a commentary message; the answer after it is the final answer", async () => {
    const { parts } = await read([
      segment("comment", "Checking the weather."),
      segment("comment", "", 0, true),
      text("It is sunny."),
    ]);
    expect(parts).toEqual([
      { type: "end_item" },
      { type: "phase", phase: "commentary" },
      { type: "text", delta: "Checking the weather." },
      { type: "end_item" },
      { type: "end_item" },
      { type: "phase", phase: "final_answer" },
      { type: "text", delta: "It is sunny." },
    ]);
  });

  it("reasoning effort none: thinking a format opens by itself is counted but not shown", async () => {
    const { parts, reader } = await read([segment("thought", "hm", 2), text("ok")], false);
    expect(parts).toEqual([{ type: "text", delta: "ok" }]);
    expect(reader.reasoningTokens).toBe(2);
  });

  it("only reasoning is not an answer (the model then adds an empty message)", async () => {
    const { reader } = await read([segment("thought", "hm")]);
    expect(reader.answered).toBe(false);
  });
});
