/**
 * The built-in model: turns a request into a deterministic stream of parts. It decides what to say
 * (skills.ts), whether to call a tool (tools.ts), how to think out loud (reasoning.ts), then streams the
 * result word by word under the `max_output_tokens` budget.
 */

import { isRecord, type JsonRecord } from "../../internal/guards.js";
import { itemsSize } from "../kit/item-size.js";
import { abortCheck, collectedCheck } from "../kit/turn-request.js";
import type { Compactor, Model, ModelPart, ModelRequest } from "../model.js";
import { compactContext } from "./compact.js";
import { stableHash } from "./hash.js";
import { analysedText, type ConversationContext, readContext } from "./read-conversation.js";
import { encryptedReasoning, planReasoning } from "./reasoning.js";
import { valueForSchema } from "./schema-value.js";
import { type Answer, answer, answerToolResults } from "./skills.js";
import {
  type FunctionToolInfo,
  type PlannedCall,
  planCalls,
  readFunctionTools,
  readToolPolicy,
  type ToolPolicy,
} from "./tools.js";
import { schemaChars, valueLimits } from "./value-budget.js";

export interface MockModelOptions {
  /** Milliseconds to wait between parts, so demos visibly stream. Default 0 (instant). */
  delayMs?: number;
}

/** The name the built-in model reports when a request names no model. */
export const MOCK_MODEL_NAME = "openresponses-mock";

/** The built-in model, with its own compactor attached. */
export type MockModel = Model & { compact: Compactor; defaultModel: string };

/**
 * Where the chunk starting at `start` ends. Text goes in word-sized chunks, whitespace kept, so the
 * concatenated deltas equal the text exactly: each chunk is the whitespace before a word plus the word
 * (trailing whitespace is a chunk of its own). JSON goes in fixed slices of 12: it has few spaces to
 * split on. Found one at a time as the deltas are made, so a long answer is never held as a list.
 */
export function chunkEnd(text: string, start: number, json = false): number {
  const n = text.length;
  if (json) return Math.min(start + 12, n);
  let i = start;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  while (i < n && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** How many chunks `chunkEnd` makes of `text` from `at`: its words, and a trailing run of whitespace. */
export function chunkCount(text: string, at: number): number {
  // An answer is usually a text made by joining strings, whose characters are slow to read one by one
  // (each read goes through the join); its bytes, when they are all ASCII, are read in a fraction of
  // the time. A byte is then a character, at the same index.
  if (text.length <= ASCII_SCRATCH.length) {
    const { read, written } = utf8.encodeInto(text, ASCII_SCRATCH);
    if (read === text.length && written === text.length) return asciiChunkCount(ASCII_SCRATCH, at, written);
  }
  let count = 0;
  let inWord = false;
  for (let i = at; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return text.length > at && !inWord ? count + 1 : count;
}

const utf8 = new TextEncoder();
/** Where `chunkCount` puts an ASCII text's bytes; a longer text is read character by character. */
const ASCII_SCRATCH = new Uint8Array(4096);

/** `chunkCount` over ASCII bytes, where `\s` is a space or a tab to carriage return (0x09–0x0d). */
function asciiChunkCount(bytes: Uint8Array, at: number, end: number): number {
  let count = 0;
  let inWord = false;
  for (let i = at; i < end; i++) {
    const byte = bytes[i]!;
    const space = byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return end > at && !inWord ? count + 1 : count;
}

// The characters `\s` matches, so chunks split where they always did.
function isSpace(code: number): boolean {
  // Most characters are printable ASCII, none of them a space but 0x20: one test for them all.
  if (code > 0x20 && code < 0x7f) return false;
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? "").length / 4);
}

interface Plan {
  reasoning: { text: string; summary: string };
  encrypted: string | undefined;
  /** A short message before a tool call (`phase: commentary`). */
  commentary: string | undefined;
  /** Function calls to make (several when the user names several places and calls may be parallel). */
  calls: PlannedCall[];
  answer: Answer | undefined;
  /** The final text as streamed (JSON when a json format was asked for). */
  finalText: string | undefined;
  finalPhase: "final_answer" | undefined;
  json: boolean;
}

function formatOf(body: JsonRecord): { type: string; schema?: unknown } | undefined {
  const text = body.text;
  if (!isRecord(text) || !isRecord(text.format) || typeof text.format.type !== "string") return undefined;
  return { type: text.format.type, schema: text.format.schema };
}

/** `max_output_tokens` when the request sets a usable one. */
function maxOutputTokens(body: JsonRecord): number | undefined {
  const limit = body.max_output_tokens;
  return typeof limit === "number" && Number.isFinite(limit) && limit >= 0 ? limit : undefined;
}

function renderFinal(result: Answer, body: JsonRecord, userText: string): { text: string; json: boolean } {
  const format = formatOf(body);
  if (format?.type === "json_schema") {
    const schema = format.schema ?? { type: "object", properties: {} };
    // Never more than the request's size allows, nor more than `max_output_tokens` could stream.
    const limits = valueLimits(
      schemaChars(schema),
      userText.length + result.text.length,
      maxOutputTokens(body),
    );
    const value = valueForSchema(
      schema,
      { text: userText, answer: result.text, numericAnswer: result.numericAnswer },
      "answer",
      limits,
    );
    return { text: JSON.stringify(value), json: true };
  }
  if (format?.type === "json_object") {
    const value: Record<string, unknown> = { answer: result.text };
    if (result.numericAnswer !== undefined) value.value = result.numericAnswer;
    return { text: JSON.stringify(value), json: true };
  }
  return { text: result.text, json: false };
}

/** The kit narrows tools and tool_choice for us (P2); a bare call without the kit reads the body. */
function toolSetup(
  request: ModelRequest,
  body: JsonRecord,
): { tools: FunctionToolInfo[]; policy: ToolPolicy } {
  if (request.tools) {
    return {
      tools: readFunctionTools(request.tools),
      policy: { mode: request.toolChoice ?? "auto", allowed: undefined },
    };
  }
  return { tools: readFunctionTools(body.tools), policy: readToolPolicy(body.tool_choice) };
}

function plan(context: ConversationContext, body: JsonRecord, setup: ReturnType<typeof toolSetup>): Plan {
  const userText = analysedText(context.lastUser?.text.trim() ?? "");
  const includeEncrypted =
    Array.isArray(body.include) && body.include.includes("reasoning.encrypted_content");

  const { tools, policy } = setup;
  // After function outputs arrive the model answers, unless tool_choice still demands a call (P2).
  if (context.pendingToolResults.length === 0 || policy.mode === "required") {
    const parallel = body.parallel_tool_calls !== false;
    const calls =
      tools.length > 0 && (userText || policy.mode === "required")
        ? planCalls(userText, tools, policy, parallel, maxOutputTokens(body))
        : [];
    const call = calls[0];
    if (call) {
      const args = calls.map((planned) => planned.arguments).join(" and ");
      const outcome = `The ${call.tool.name} tool fits their request, so I will call it with ${args}.`;
      const reasoning = planReasoning(
        body.reasoning,
        userText,
        `They need ${call.tool.name} to answer.`,
        outcome,
      );
      // Each plan is one object literal, never a spread of shared defaults plus fields: V8 (Node 20)
      // lets such an object, and all it holds, survive young-generation collections it is dead for.
      return {
        reasoning,
        encrypted: includeEncrypted && reasoning.text ? encryptedReasoning(reasoning.summary) : undefined,
        commentary: formatOf(body)?.type.startsWith("json")
          ? undefined
          : `Let me call ${call.tool.name} for that.`,
        calls,
        answer: undefined,
        finalText: undefined,
        finalPhase: undefined,
        json: false,
      };
    }
  }

  const afterTools = context.pendingToolResults.length > 0;
  const result = afterTools ? answerToolResults(context.pendingToolResults) : answer(context);
  const rendered = renderFinal(result, body, userText);
  const outcome = result.refusal ? "I will decline." : `So the answer is: ${result.text}`;
  const reasoning = planReasoning(body.reasoning, userText, result.rationale, outcome);
  return {
    reasoning,
    encrypted: includeEncrypted && reasoning.text ? encryptedReasoning(reasoning.summary) : undefined,
    commentary: undefined,
    calls: [],
    answer: result,
    finalText: rendered.text,
    finalPhase: afterTools ? "final_answer" : undefined,
    json: rendered.json,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Counts output tokens (one per streamed chunk) against `max_output_tokens`. */
class Budget {
  used = 0;
  reasoning = 0;
  constructor(readonly limit: number) {}
  take(count = 1): boolean {
    if (this.used + count > this.limit) return false;
    this.used += count;
    return true;
  }
}

/**
 * The parts of an answer. Synchronous: the answer is known at once, and a plain generator costs the
 * engine nothing per part (no promise per delta); `paced` spaces the parts out when `delayMs` asks.
 */
function* generate(request: ModelRequest): Generator<ModelPart> {
  const body = request.body as unknown as JsonRecord;
  const input: unknown[] =
    request.input.length > 0
      ? request.input
      : typeof body.input === "string"
        ? [{ type: "message", role: "user", content: body.input }]
        : [];
  const instructions = typeof body.instructions === "string" ? body.instructions : undefined;
  const context = readContext(input, instructions);
  const steps = plan(context, body, toolSetup(request, body));
  const limit =
    typeof body.max_output_tokens === "number" ? body.max_output_tokens : Number.POSITIVE_INFINITY;
  const budget = new Budget(limit);
  // Sized item by item (each item object once), not by serialising the whole context again.
  const inputTokens = Math.ceil(itemsSize(input) / 4) + estimateTokens(instructions ?? "");

  const usage = (): ModelPart => ({
    type: "usage",
    usage: {
      input_tokens: inputTokens,
      output_tokens: budget.used,
      total_tokens: inputTokens + budget.used,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: budget.reasoning },
    },
  });
  // Each delta is taken from the budget first; when it runs out (or the request was aborted) the
  // response ends incomplete. Written out as loops in this one generator: a generator per stream of
  // chunks, and one per chunker, cost more per delta than making the delta.
  const aborted = abortCheck(request);
  const admit = (reasoning: boolean): boolean => {
    if (aborted() || !budget.take()) return false;
    if (reasoning) budget.reasoning++;
    return true;
  };

  function* outOfBudget(): Generator<ModelPart> {
    yield usage();
    yield { type: "incomplete", reason: "max_output_tokens" };
  }

  // A turn collected into its final snapshot (a JSON answer) shows no part to anyone: there the rest of
  // a text goes as one delta, its chunks still taken from the budget one by one, so the text, the usage
  // and where `max_output_tokens` cuts are those of the chunked stream.
  const collected = collectedCheck(request);
  /** Where the chunks from `at` that the budget admits end (the text's length when it admits them all). */
  const admitRest = (text: string, at: number, json: boolean, reasoning: boolean): number => {
    // Every chunk holds a character at least, so a budget with room for one per character admits them
    // all: counted in one pass and taken at once, with the same total as one by one.
    if (budget.limit - budget.used >= text.length - at) {
      if (aborted()) return at;
      const count = json ? Math.ceil((text.length - at) / 12) : chunkCount(text, at);
      budget.take(count);
      if (reasoning) budget.reasoning += count;
      return text.length;
    }
    let end = at;
    while (end < text.length) {
      const next = chunkEnd(text, end, json);
      if (!admit(reasoning)) break;
      end = next;
    }
    return end;
  };

  const reasoningText = steps.reasoning.text;
  if (reasoningText) {
    for (let at = 0, end = 0; at < reasoningText.length; at = end) {
      if (collected()) {
        end = admitRest(reasoningText, at, false, true);
        if (end > at) yield { type: "reasoning", delta: reasoningText.slice(at, end) };
        if (end < reasoningText.length) return yield* outOfBudget();
        break;
      }
      end = chunkEnd(reasoningText, at);
      if (!admit(true)) return yield* outOfBudget();
      yield { type: "reasoning", delta: reasoningText.slice(at, end) };
    }
    const summary = steps.reasoning.summary;
    for (let at = 0, end = 0; at < summary.length; at = end) {
      if (collected()) {
        end = admitRest(summary, at, false, true);
        if (end > at) yield { type: "reasoning_summary", delta: summary.slice(at, end), summaryIndex: 0 };
        if (end < summary.length) return yield* outOfBudget();
        break;
      }
      end = chunkEnd(summary, at);
      if (!admit(true)) return yield* outOfBudget();
      yield { type: "reasoning_summary", delta: summary.slice(at, end), summaryIndex: 0 };
    }
    if (steps.encrypted) yield { type: "reasoning_encrypted", encryptedContent: steps.encrypted };
    yield { type: "end_item" };
  }

  const commentary = steps.commentary;
  if (commentary) {
    yield { type: "phase", phase: "commentary" };
    for (let at = 0, end = 0; at < commentary.length; at = end) {
      if (collected()) {
        end = admitRest(commentary, at, false, false);
        if (end > at) yield { type: "text", delta: commentary.slice(at, end) };
        if (end < commentary.length) return yield* outOfBudget();
        break;
      }
      end = chunkEnd(commentary, at);
      if (!admit(false)) return yield* outOfBudget();
      yield { type: "text", delta: commentary.slice(at, end) };
    }
    yield { type: "end_item" };
  }

  for (const [index, call] of steps.calls.entries()) {
    const cost = Math.max(1, estimateTokens(call.arguments));
    if (!budget.take(cost)) return yield* outOfBudget();
    const seed = `${call.tool.name}|${call.arguments}|${context.userTurns.length}|${index}`;
    yield {
      type: "function_call",
      name: call.tool.name,
      arguments: call.arguments,
      callId: `call_${stableHash(seed)}`,
    };
  }

  const finalText = steps.finalText;
  if (finalText !== undefined && steps.answer) {
    if (steps.finalPhase) yield { type: "phase", phase: steps.finalPhase };
    const json = steps.json;
    const type = steps.answer.refusal === true && !json ? "refusal" : "text";
    for (let at = 0, end = 0; at < finalText.length; at = end) {
      if (collected()) {
        end = admitRest(finalText, at, json, false);
        if (end > at) yield { type, delta: finalText.slice(at, end) };
        if (end < finalText.length) return yield* outOfBudget();
        break;
      }
      end = chunkEnd(finalText, at, json);
      if (!admit(false)) return yield* outOfBudget();
      yield { type, delta: finalText.slice(at, end) };
    }
  }

  yield usage();
}

/** The parts a model streams token by token, each followed by the pause when the model is paced. */
const PACED_PARTS = new Set<ModelPart["type"]>([
  "text",
  "refusal",
  "reasoning",
  "reasoning_summary",
  "function_call",
]);

/** The parts with `delayMs` after each streamed delta and each call, as a model producing tokens would. */
async function* paced(
  parts: Iterable<ModelPart>,
  delayMs: number,
  signal: AbortSignal,
): AsyncGenerator<ModelPart> {
  for (const part of parts) {
    yield part;
    if (PACED_PARTS.has(part.type)) await sleep(delayMs, signal);
  }
}

/** The deterministic built-in model. `mockModel({ delayMs: 30 })` paces parts for demos. */
export function mockModel(options: MockModelOptions = {}): MockModel {
  const delay = options.delayMs ?? 0;
  const model = (request: ModelRequest) =>
    delay > 0 ? paced(generate(request), delay, request.signal) : generate(request);
  return Object.assign(model, {
    compact: compactContext,
    defaultModel: MOCK_MODEL_NAME,
  });
}
