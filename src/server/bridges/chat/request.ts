/**
 * The kit's resolved context and request → a Chat Completions request. Every field is either mapped,
 * left to the kit (state, storage, tool-policy enforcement), or refused by name; the table in
 * docs/server-kit.md ("Chat Completions") is this file in prose.
 */

import { isRecord } from "../../../internal/guards.js";
import type { ModelRequest } from "../../model.js";
import { type BridgeItem, contentText, itemParam, refuseCommon, upstreamModelName } from "../context.js";
import { refuse } from "../refuse.js";
import type { ChatCompletionRequest, ChatContentPart, ChatMessage, ChatToolCall } from "./wire.js";

export interface ChatRequestSettings {
  /** For messages: the upstream's name. */
  upstream: string;
  model: string | undefined;
  maxTokensParam: "max_tokens" | "max_completion_tokens";
  includeUsage: boolean;
}

export function toChatRequest(request: ModelRequest, settings: ChatRequestSettings): ChatCompletionRequest {
  const { body } = request;
  const upstream = settings.upstream;
  refuseCommon(request, upstream);
  const model = upstreamModelName(request, settings.model, undefined);
  if (model === undefined)
    throw refuse("model", upstream, "a request without `model` (no default is configured)");

  const chat: ChatCompletionRequest = {
    model,
    messages: toMessages(request, upstream),
    stream: true,
    stream_options: { include_usage: settings.includeUsage },
  };
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    chat.tools = tools.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        ...(tool.parameters ? { parameters: tool.parameters as Record<string, unknown> } : {}),
        ...(typeof tool.strict === "boolean" ? { strict: tool.strict } : {}),
      },
    }));
    const choice = body.tool_choice;
    chat.tool_choice =
      isRecord(choice) && choice.type === "function" && typeof choice.name === "string"
        ? { type: "function", function: { name: choice.name } }
        : (request.toolChoice ?? "auto");
    if (typeof body.parallel_tool_calls === "boolean") chat.parallel_tool_calls = body.parallel_tool_calls;
  }
  const format = body.text?.format;
  if (format?.type === "json_schema") {
    chat.response_format = {
      type: "json_schema",
      json_schema: {
        name: format.name ?? "response",
        ...(format.description ? { description: format.description } : {}),
        ...(format.schema ? { schema: format.schema } : {}),
        ...(typeof format.strict === "boolean" ? { strict: format.strict } : {}),
      },
    };
  } else if ((format as { type?: string } | null | undefined)?.type === "json_object") {
    chat.response_format = { type: "json_object" };
  }
  copyNumber(body.temperature, (value) => (chat.temperature = value));
  copyNumber(body.top_p, (value) => (chat.top_p = value));
  copyNumber(body.presence_penalty, (value) => (chat.presence_penalty = value));
  copyNumber(body.frequency_penalty, (value) => (chat.frequency_penalty = value));
  copyNumber(body.max_output_tokens, (value) => (chat[settings.maxTokensParam] = value));
  if (typeof body.top_logprobs === "number" || body.include?.includes("message.output_text.logprobs")) {
    // The writer has no part for per-token log probabilities yet, so asking for them would be ignored.
    throw refuse(
      typeof body.top_logprobs === "number" ? "top_logprobs" : "include",
      upstream,
      "log probabilities (this bridge does not return them yet)",
    );
  }
  if (body.reasoning?.effort) chat.reasoning_effort = body.reasoning.effort;
  if (body.text?.verbosity) chat.verbosity = body.text.verbosity;
  if (body.service_tier) chat.service_tier = body.service_tier;
  if (body.prompt_cache_key) chat.prompt_cache_key = body.prompt_cache_key;
  if (body.safety_identifier) chat.safety_identifier = body.safety_identifier;
  return chat;
}

function copyNumber(value: number | null | undefined, set: (value: number) => void): void {
  if (typeof value === "number") set(value);
}

/**
 * The context as messages: `instructions` first as a system message; system and developer items as
 * system messages; an assistant message and the function calls right after it as one assistant
 * message with `tool_calls`; `function_call_output` as a `tool` message. Reasoning items are not sent
 * (Chat Completions takes no earlier reasoning).
 */
export function toMessages(request: ModelRequest, upstream: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const instructions = request.body.instructions;
  if (typeof instructions === "string" && instructions !== "")
    messages.push({ role: "system", content: instructions });
  // The assistant message that function calls attach to, while consecutive calls keep coming.
  let assistant: Extract<ChatMessage, { role: "assistant" }> | null = null;
  request.input.forEach((item: BridgeItem, index) => {
    const param = itemParam(request, index);
    if (item.type === "function_call") {
      if (assistant === null) {
        assistant = { role: "assistant", content: null };
        messages.push(assistant);
      }
      const call: ChatToolCall = {
        id: item.call_id,
        type: "function",
        function: { name: item.name, arguments: item.arguments },
      };
      assistant.tool_calls = [...(assistant.tool_calls ?? []), call];
      return;
    }
    if (item.type === "reasoning") return;
    assistant = null;
    if (item.type === "function_call_output") {
      messages.push({
        role: "tool",
        tool_call_id: item.call_id,
        content: toolOutput(item.output, `${param}.output`, upstream),
      });
      return;
    }
    if (item.type !== "message") {
      throw refuse(
        param,
        upstream,
        `an input item of type ${JSON.stringify((item as { type: unknown }).type)}`,
      );
    }
    const role = (item as { role: string }).role;
    if (role === "assistant") {
      const next: Extract<ChatMessage, { role: "assistant" }> = {
        role: "assistant",
        content: assistantText(item.content),
      };
      const refusal = refusalText(item.content);
      if (refusal !== "") next.refusal = refusal;
      messages.push(next);
      assistant = next;
      return;
    }
    if (role === "system" || role === "developer") {
      messages.push({ role: "system", content: contentText(item.content) });
      return;
    }
    messages.push({ role: "user", content: userContent(item.content, `${param}.content`, upstream) });
  });
  return messages;
}

function assistantText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((part) => isRecord(part) && typeof part.text === "string")
    .map((part) => (part as { text: string }).text)
    .join("");
}

function refusalText(content: unknown): string {
  if (!Array.isArray(content)) return "";
  return content
    .filter((part) => isRecord(part) && typeof part.refusal === "string")
    .map((part) => (part as { refusal: string }).refusal)
    .join("");
}

/** User content: a string stays a string, and so do text-only parts (servers that take only strings). */
function userContent(content: unknown, param: string, upstream: string): string | ChatContentPart[] {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts = content.map((part, index) => contentPart(part, `${param}[${index}]`, upstream));
  if (parts.every((part) => part.type === "text"))
    return parts.map((part) => (part as { text: string }).text).join("\n");
  return parts;
}

function contentPart(part: unknown, param: string, upstream: string): ChatContentPart {
  if (!isRecord(part)) throw refuse(param, upstream, "a content part that is not an object");
  switch (part.type) {
    case "input_text":
    case "output_text":
    case "text":
      return { type: "text", text: typeof part.text === "string" ? part.text : "" };
    case "input_image": {
      if (typeof part.image_url !== "string" || part.image_url === "") {
        throw refuse(param, upstream, "an image without `image_url` (file ids)");
      }
      const detail = part.detail;
      return {
        type: "image_url",
        image_url: {
          url: part.image_url,
          ...(detail === "low" || detail === "high" || detail === "auto" ? { detail } : {}),
        },
      };
    }
    case "input_file":
      if (typeof part.file_data === "string" && part.file_data !== "") {
        return {
          type: "file",
          file: {
            file_data: part.file_data,
            ...(typeof part.filename === "string" ? { filename: part.filename } : {}),
          },
        };
      }
      throw refuse(param, upstream, "a file given by `file_url` (Chat Completions takes `file_data`)");
    default:
      throw refuse(param, upstream, `content of type ${JSON.stringify(part.type)}`);
  }
}

/** A tool message carries text only: text parts are joined; an image or a file there is refused. */
function toolOutput(output: unknown, param: string, upstream: string): string {
  if (typeof output === "string") return output;
  if (!Array.isArray(output)) return "";
  return output
    .map((part, index) => {
      if (isRecord(part) && part.type === "input_text" && typeof part.text === "string") return part.text;
      throw refuse(`${param}[${index}]`, upstream, "a tool output that is not text");
    })
    .join("\n");
}
