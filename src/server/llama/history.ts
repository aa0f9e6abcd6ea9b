/**
 * The resolved context (Open Responses items) as node-llama-cpp's chat history. Items are read as plain
 * records, as the kit received them, so any shape a client sends is handled without trusting types.
 *
 * - `instructions` and leading system/developer messages become the first system message.
 * - Everything the assistant produced between two user messages (reasoning, messages, function calls)
 *   is one model response; a function call carries its `function_call_output` as its result, so after
 *   tool results the model continues that response, as chat templates render a tool loop.
 * - Content the model cannot read (images, files, video) is reported, so the request can be refused
 *   by name rather than answered as if it had not been sent.
 */

import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import { isRecord, type JsonRecord } from "../../internal/guards.js";

export interface HistoryResult {
  history: ChatHistoryItem[];
  /** Where the context holds content a text-only model cannot read, e.g. `input[0].content[1]` (input_image). */
  unreadable: Array<{ param: string; type: string }>;
}

/** The text of a content list (`input_text`, `output_text`, `refusal`, `text` parts) or of a string. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => {
      if (!isRecord(part)) return "";
      if (typeof part.text === "string") return part.text;
      if (typeof part.refusal === "string") return part.refusal;
      return "";
    })
    .join("");
}

const UNREADABLE = new Set(["input_image", "input_file", "input_video", "input_audio"]);

function parseArguments(value: unknown): unknown {
  if (typeof value !== "string") return value ?? {};
  try {
    return JSON.parse(value);
  } catch {
    // Arguments that are not JSON are still what the model said; show them as they were.
    return value;
  }
}

/**
 * `inputStart` is where this request's own `input` begins in `items` (earlier items come from the
 * `previous_response_id` chain), so that what cannot be read is named by its place in the request.
 */
export function toChatHistory(
  items: readonly unknown[],
  instructions: string | null | undefined,
  inputStart = 0,
): HistoryResult {
  const history: ChatHistoryItem[] = [];
  const unreadable: HistoryResult["unreadable"] = [];
  const outputs = new Map<string, string>();
  for (const item of items) {
    if (isRecord(item) && item.type === "function_call_output" && typeof item.call_id === "string") {
      outputs.set(item.call_id, typeof item.output === "string" ? item.output : textOf(item.output));
    }
  }

  const system: string[] = instructions ? [instructions] : [];
  const flushSystem = () => {
    if (system.length === 0) return;
    history.push({ type: "system", text: system.join("\n\n") });
    system.length = 0;
  };
  // The assistant turn being built: what the assistant produced between two user (or system) messages.
  let turn: ChatModelResponse | undefined;
  const modelTurn = (): ChatModelResponse => {
    if (turn === undefined) {
      flushSystem();
      turn = { type: "model", response: [] };
      history.push(turn);
    }
    return turn;
  };

  items.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const item: JsonRecord = raw;
    const type = item.type ?? (typeof item.role === "string" ? "message" : undefined);
    if (type === "message") {
      const role = item.role;
      if (role === "system" || role === "developer") {
        if (history.length === 0) system.push(textOf(item.content));
        else {
          turn = undefined;
          history.push({ type: "system", text: textOf(item.content) });
        }
        return;
      }
      if (role === "assistant") {
        modelTurn().response.push(textOf(item.content));
        return;
      }
      // A user message (or any other role, read as the user's).
      if (Array.isArray(item.content)) {
        item.content.forEach((part, partIndex) => {
          if (isRecord(part) && typeof part.type === "string" && UNREADABLE.has(part.type)) {
            const param =
              index >= inputStart
                ? `input[${index - inputStart}].content[${partIndex}]`
                : "previous_response_id";
            unreadable.push({ param, type: part.type });
          }
        });
      }
      flushSystem();
      turn = undefined;
      history.push({ type: "user", text: textOf(item.content) });
      return;
    }
    if (type === "reasoning") {
      const text = textOf(item.content);
      if (text !== "") {
        modelTurn().response.push({ type: "segment", segmentType: "thought", text, ended: true });
      }
      return;
    }
    if (type === "function_call") {
      const callId = typeof item.call_id === "string" ? item.call_id : "";
      const call: ChatModelFunctionCall = {
        type: "functionCall",
        name: typeof item.name === "string" ? item.name : "",
        params: parseArguments(item.arguments),
        result: outputs.get(callId) ?? "",
      };
      modelTurn().response.push(call);
      return;
    }
    // function_call_output is carried by its call; other items (opaque compaction, extensions) say
    // nothing a text model can read.
  });
  flushSystem();
  return { history, unreadable };
}
