/**
 * Gemini `streamGenerateContent?alt=sse` chunks as the API sends them: each a `GenerateContentResponse`
 * (field names from the API reference and `@google/genai`'s types), for the unit tests and the fake
 * upstream.
 */

export type GeminiChunk = Record<string, unknown>;

export function chunk(
  parts: Array<Record<string, unknown>>,
  options: { finishReason?: string; usage?: Record<string, number> } = {},
): GeminiChunk {
  const candidate: Record<string, unknown> = { content: { role: "model", parts }, index: 0 };
  if (options.finishReason !== undefined) candidate.finishReason = options.finishReason;
  return {
    candidates: [candidate],
    usageMetadata: options.usage ?? { promptTokenCount: 12, candidatesTokenCount: 3, totalTokenCount: 15 },
    modelVersion: "gemini-test",
    responseId: "resp-gem-1",
  };
}

/** The last chunk: no new content, only the finish reason and the final usage. */
export function finalChunk(finishReason: string, usage?: Record<string, number>): GeminiChunk {
  return chunk([{ text: "" }], { finishReason, ...(usage ? { usage } : {}) });
}

export function blockedPrompt(reason: string): GeminiChunk {
  return {
    promptFeedback: { blockReason: reason },
    usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
    modelVersion: "gemini-test",
  };
}
