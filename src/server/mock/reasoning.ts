/**
 * The reasoning trace the built-in model streams when a request asks for `reasoning`: raw reasoning
 * text whose length follows `effort`, and a summary when `summary` is set (I5).
 */

import type { JsonRecord } from "../../internal/guards.js";

export interface ReasoningPlan {
  /** Raw reasoning text; empty when reasoning was not asked for. */
  text: string;
  /** Summary text; empty when no summary was asked for. */
  summary: string;
}

const EFFORT_SENTENCES: Record<string, number> = { minimal: 1, low: 2, medium: 3, high: 4, xhigh: 5 };

/**
 * Plans the trace for a request's `reasoning` setting. `reasoning: {}` means medium effort, no summary;
 * `effort: "none"` means no reasoning at all.
 */
export function planReasoning(
  reasoning: unknown,
  userText: string,
  rationale: string,
  outcome: string,
): ReasoningPlan {
  if (typeof reasoning !== "object" || reasoning === null) return { text: "", summary: "" };
  const settings = reasoning as JsonRecord;
  const effort = typeof settings.effort === "string" ? settings.effort : "medium";
  if (effort === "none") return { text: "", summary: "" };
  const quoted = userText.length > 120 ? `${userText.slice(0, 117)}...` : userText;
  const sentences = [
    quoted ? `The user wrote: "${quoted}".` : "There is no user message to answer yet.",
    rationale,
    outcome,
    "I checked that the answer follows from the conversation alone, since I have no other sources.",
    "Nothing else in the request changes the answer, so I can respond now.",
  ];
  const text = sentences.slice(0, EFFORT_SENTENCES[effort] ?? 3).join(" ");
  const summaryMode = typeof settings.summary === "string" ? settings.summary : undefined;
  let summary = "";
  if (summaryMode === "concise") summary = rationale;
  else if (summaryMode === "detailed" || summaryMode === "auto") summary = `${rationale} ${outcome}`;
  return { text, summary };
}

const ENCRYPTED_PREFIX = "openresponses-mock-reasoning.v1.";

/** Opaque reasoning state for `include: ["reasoning.encrypted_content"]`, round-tripped by clients. */
export function encryptedReasoning(summary: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(JSON.stringify({ v: 1, summary })))
    binary += String.fromCharCode(byte);
  return ENCRYPTED_PREFIX + btoa(binary);
}
