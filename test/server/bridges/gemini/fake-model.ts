/**
 * A fake Gemini *model*: a script that answers a `streamGenerateContent` request the way a small model
 * would, in the exact `alt=sse` format, so whole clients and `openresponses check` can talk to the
 * bridge. Function declarations offered (mode not `NONE`) and a user's text last → `functionCall` parts
 * (two when the prompt names Paris and Rome; the first signed); a function response last → text;
 * `responseMimeType: application/json` → JSON that fits `responseJsonSchema`; `maxOutputTokens` ≤ 32 →
 * a cut answer (`MAX_TOKENS`); `includeThoughts` → a signed thought part first.
 */

import type { FakeReply, RecordedRequest } from "../../../support/fake-upstream.js";
import { sseData } from "../../../support/fake-upstream.js";
import { valueFor } from "../fake-chat-model.js";
import { chunk, finalChunk, type GeminiChunk } from "./chunks.js";

type Json = Record<string, unknown>;

export const FAKE_THOUGHT_SIGNATURE = "VGhvdWdodCBzaWduYXR1cmU+/==";
export const FAKE_CALL_SIGNATURE = "Q2FsbCBzaWduYXR1cmU+/==";

export function geminiReply(chunks: GeminiChunk[]): FakeReply {
  return { kind: "sse", chunks: chunks.map(sseData) };
}

export function fakeGeminiModel(request: RecordedRequest): FakeReply {
  const body = request.body as Json;
  const contents = (body.contents as Json[] | undefined) ?? [];
  const last = contents.at(-1);
  const parts = Array.isArray(last?.parts) ? (last.parts as Json[]) : [];
  const prompt = parts
    .filter((part) => typeof part.text === "string")
    .map((part) => part.text)
    .join(" ");
  const answeredTool = parts.some((part) => part.functionResponse !== undefined);
  const declarations =
    ((body.tools as Array<{ functionDeclarations?: Array<{ name: string }> }> | undefined)?.[0]
      ?.functionDeclarations as Array<{ name: string }> | undefined) ?? [];
  const mode = (body.toolConfig as { functionCallingConfig?: { mode?: string } } | undefined)
    ?.functionCallingConfig?.mode;
  const config = (body.generationConfig as Json | undefined) ?? {};
  const chunks: GeminiChunk[] = [];
  if ((config.thinkingConfig as { includeThoughts?: boolean } | undefined)?.includeThoughts === true) {
    chunks.push(chunk([{ text: "Let me work ", thought: true }]));
    chunks.push(chunk([{ text: "it out.", thought: true, thoughtSignature: FAKE_THOUGHT_SIGNATURE }]));
  }
  if (declarations.length > 0 && mode !== "NONE" && last?.role === "user" && !answeredTool) {
    const name = declarations[0]?.name ?? "tool";
    const cities = /paris/i.test(prompt) && /rome/i.test(prompt) ? ["Paris", "Rome"] : ["Paris"];
    chunks.push(
      chunk(
        cities.map((city, index) => ({
          functionCall: { name, args: { city } },
          ...(index === 0 ? { thoughtSignature: FAKE_CALL_SIGNATURE } : {}),
        })),
      ),
    );
    return geminiReply([...chunks, finalChunk("STOP")]);
  }
  if (config.responseMimeType === "application/json") {
    const text = JSON.stringify(
      valueFor((config.responseJsonSchema as Json | undefined) ?? { type: "object" }),
    );
    for (let i = 0; i < text.length; i += 8) chunks.push(chunk([{ text: text.slice(i, i + 8) }]));
    return geminiReply([...chunks, finalChunk("STOP")]);
  }
  if (typeof config.maxOutputTokens === "number" && config.maxOutputTokens <= 32) {
    chunks.push(chunk([{ text: "Once upon a time, " }]), chunk([{ text: "a lighthouse keeper" }]));
    return geminiReply([...chunks, finalChunk("MAX_TOKENS")]);
  }
  const answer = answeredTool ? "It is 18 °C and clear in Paris." : `You said: ${prompt.slice(0, 60)}`;
  for (const word of answer.split(/(?<= )/)) chunks.push(chunk([{ text: word }]));
  return geminiReply([...chunks, finalChunk("STOP")]);
}
