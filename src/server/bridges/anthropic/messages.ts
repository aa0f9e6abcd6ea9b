/**
 * The resolved context as Anthropic Messages: system and developer text goes to the top-level `system`
 * (Messages has no system role in `messages`), everything else becomes alternating `user` and
 * `assistant` turns, adjacent items of one role merged into one turn. Function calls become `tool_use`
 * blocks of the assistant turn, their outputs `tool_result` blocks of the next user turn (placed first,
 * as the API requires), and the reasoning items this bridge emitted put their thinking blocks back,
 * byte for byte, where they were: ahead of the tool use they belong to.
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import { type ContextEntry, describeType, instructionText, parseArguments } from "../context-items.js";
import { isHttpUrl, parseDataUrl, readFileData } from "../media.js";
import { decodeProviderState } from "../provider-state.js";
import type { Refuse } from "../refusal.js";
import type {
  AnthropicAssistantBlock,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicUserBlock,
} from "./wire.js";

export const UPSTREAM = "The Anthropic Messages API";

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

export interface AnthropicContext {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/** Maps `instructions` plus the context; refuses (by field) what Messages cannot carry. */
export function anthropicContext(
  instructions: string | null | undefined,
  entries: ContextEntry[],
  refuse: Refuse,
): AnthropicContext {
  const system: AnthropicTextBlock[] = [];
  if (instructions) system.push({ type: "text", text: instructions });
  const turns = new Turns();
  for (const entry of entries) {
    const { item, param } = entry;
    switch (item.type) {
      case "message":
        if (item.role === "system" || item.role === "developer") {
          const text = instructionText(entry, refuse, UPSTREAM);
          if (text !== "") system.push({ type: "text", text });
        } else if (item.role === "user") {
          for (const block of userBlocks(entry, refuse)) turns.user(block);
        } else if (item.role === "assistant") {
          for (const block of assistantBlocks(entry, refuse)) turns.assistant(block);
        } else refuse(`${param}.role`, `${UPSTREAM} has no ${JSON.stringify(item.role)} role.`);
        break;
      case "function_call":
        turns.assistant({
          type: "tool_use",
          id: toolUseId(item.call_id),
          name: String(item.name),
          input: parseArguments(entry, refuse, UPSTREAM),
        });
        break;
      case "function_call_output":
        turns.user({
          type: "tool_result",
          tool_use_id: toolUseId(item.call_id),
          content: toolResultContent(entry, refuse),
        });
        break;
      case "reasoning": {
        const block = thinkingBlock(entry, refuse);
        if (block !== undefined) turns.assistant(block);
        break;
      }
      default:
        refuse(param, `${UPSTREAM} has no equivalent of a ${describeType(item)} item.`);
    }
  }
  return { system, messages: turns.messages };
}

/** Tool ids must match `^[a-zA-Z0-9_-]+$` upstream; other call ids are mapped the same way on both sides. */
export function toolUseId(callId: unknown): string {
  const text = typeof callId === "string" ? callId.replace(/[^a-zA-Z0-9_-]/g, "_") : "";
  return text === "" ? "call" : text;
}

/** Consecutive blocks of one role share a turn; a user turn keeps its tool results first. */
class Turns {
  readonly messages: AnthropicMessage[] = [];

  user(block: AnthropicUserBlock): void {
    const last = this.messages.at(-1);
    if (last?.role !== "user") {
      this.messages.push({ role: "user", content: [block] });
      return;
    }
    if (block.type !== "tool_result") {
      last.content.push(block);
      return;
    }
    const firstOther = last.content.findIndex((existing) => existing.type !== "tool_result");
    if (firstOther < 0) last.content.push(block);
    else last.content.splice(firstOther, 0, block);
  }

  assistant(block: AnthropicAssistantBlock): void {
    const last = this.messages.at(-1);
    if (last?.role === "assistant") last.content.push(block);
    else this.messages.push({ role: "assistant", content: [block] });
  }
}

function userBlocks(entry: ContextEntry, refuse: Refuse): AnthropicUserBlock[] {
  const content = entry.item.content;
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) refuse(`${entry.param}.content`, "A message needs content.");
  const blocks: AnthropicUserBlock[] = [];
  content.forEach((part, index) => {
    const block = mediaOrText(isRecord(part) ? part : {}, `${entry.param}.content[${index}]`, refuse);
    if (block !== undefined) blocks.push(block);
  });
  return blocks;
}

/** User-side content (`input_text`, `input_image`, `input_file`) as a block; empty text is left out. */
function mediaOrText(
  part: JsonRecord,
  param: string,
  refuse: Refuse,
): AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock | undefined {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return typeof part.text === "string" && part.text !== ""
        ? { type: "text", text: part.text }
        : undefined;
    case "input_image":
      return imageBlock(part, param, refuse);
    case "input_file":
      return documentBlock(part, param, refuse);
    default:
      return refuse(param, `${UPSTREAM} has no equivalent of ${describeType(part)} content.`);
  }
}

function imageBlock(part: JsonRecord, param: string, refuse: Refuse): AnthropicImageBlock {
  if (part.detail !== undefined && part.detail !== null && part.detail !== "auto")
    refuse(`${param}.detail`, `${UPSTREAM} has no image detail setting; send "auto" or leave it out.`);
  const url = part.image_url;
  if (typeof url !== "string" || url === "")
    refuse(`${param}.image_url`, `${UPSTREAM} needs an image as a URL or a base64 data URL (not a file id).`);
  if (isHttpUrl(url)) return { type: "image", source: { type: "url", url } };
  const inline = parseDataUrl(url);
  if (inline === undefined || !IMAGE_TYPES.has(inline.mimeType))
    refuse(
      `${param}.image_url`,
      `${UPSTREAM} takes JPEG, PNG, GIF and WebP images, as a URL or a base64 data URL.`,
    );
  const media_type = inline.mimeType as "image/jpeg" | "image/png" | "image/gif" | "image/webp";
  return { type: "image", source: { type: "base64", media_type, data: inline.data } };
}

function documentBlock(part: JsonRecord, param: string, refuse: Refuse): AnthropicDocumentBlock {
  const filename = typeof part.filename === "string" ? part.filename : undefined;
  const title = filename === undefined ? {} : { title: filename };
  if (typeof part.file_data === "string") {
    const inline = readFileData(part.file_data, filename);
    if (inline?.mimeType === "application/pdf")
      return {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: inline.data },
        ...title,
      };
    if (inline?.mimeType === "text/plain")
      return {
        type: "document",
        source: { type: "text", media_type: "text/plain", data: decodeBase64Text(inline.data) },
        ...title,
      };
    refuse(
      `${param}.file_data`,
      `${UPSTREAM} takes PDF and plain-text files (as a data URL, or base64 with a .pdf or .txt filename).`,
    );
  }
  if (typeof part.file_url === "string" && isHttpUrl(part.file_url))
    return { type: "document", source: { type: "url", url: part.file_url }, ...title };
  return refuse(
    param,
    `${UPSTREAM} needs a file as file_data or an http(s) file_url (file ids are not shared with it).`,
  );
}

function decodeBase64Text(data: string): string {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return new TextDecoder().decode(bytes);
}

function assistantBlocks(entry: ContextEntry, refuse: Refuse): AnthropicTextBlock[] {
  const content = entry.item.content;
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) refuse(`${entry.param}.content`, "A message needs content.");
  const blocks: AnthropicTextBlock[] = [];
  content.forEach((part, index) => {
    const record = isRecord(part) ? part : {};
    // A refusal is what the assistant said; Messages has no refusal block, so it goes back as text.
    const text =
      record.type === "output_text" ? record.text : record.type === "refusal" ? record.refusal : undefined;
    if (typeof text !== "string")
      refuse(
        `${entry.param}.content[${index}]`,
        `${UPSTREAM} has no equivalent of ${describeType(part)} content in an assistant turn.`,
      );
    if (text !== "") blocks.push({ type: "text", text });
  });
  return blocks;
}

function toolResultContent(
  entry: ContextEntry,
  refuse: Refuse,
): string | Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock> {
  const output = entry.item.output;
  if (typeof output === "string") return output;
  if (!Array.isArray(output)) refuse(`${entry.param}.output`, "A function call output needs an output.");
  const blocks: Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock> = [];
  output.forEach((part, index) => {
    const block = mediaOrText(isRecord(part) ? part : {}, `${entry.param}.output[${index}]`, refuse);
    if (block !== undefined) blocks.push(block);
  });
  return blocks;
}

/** A reasoning item this bridge emitted, as the block it came from; other reasoning is not Claude's to read. */
function thinkingBlock(entry: ContextEntry, refuse: Refuse): AnthropicAssistantBlock | undefined {
  const state = decodeProviderState("anthropic", entry.item.encrypted_content);
  if (state === undefined) return undefined;
  if (state !== null) {
    if (
      state.type === "thinking" &&
      typeof state.thinking === "string" &&
      typeof state.signature === "string"
    )
      return { type: "thinking", thinking: state.thinking, signature: state.signature };
    if (state.type === "redacted_thinking" && typeof state.data === "string")
      return { type: "redacted_thinking", data: state.data };
  }
  return refuse(
    `${entry.param}.encrypted_content`,
    "This reasoning item's encrypted_content was altered; send it back exactly as it was returned.",
    "invalid_encrypted_content",
  );
}
