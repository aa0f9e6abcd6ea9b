/**
 * Open Responses content as Anthropic content blocks: user text, images (base64 from a data URL, or a
 * URL) and documents (PDF, plain text), the assistant's text, and a function output's content.
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import { assistantTexts, type ContextEntry, describeType } from "../context-items.js";
import { isHttpUrl, parseDataUrl, readFileData } from "../media.js";
import type { Refuse } from "../refuse.js";
import {
  type AnthropicDocumentBlock,
  type AnthropicImageBlock,
  type AnthropicTextBlock,
  type AnthropicUserBlock,
  UPSTREAM,
} from "./wire.js";

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

export function userBlocks(entry: ContextEntry, refuse: Refuse): AnthropicUserBlock[] {
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

/**
 * `detail` is a hint about the resolution the model reads an image at; Claude always sizes images
 * itself (there is no setting to send), so the hint is accepted as met rather than refused.
 */
function imageBlock(part: JsonRecord, param: string, refuse: Refuse): AnthropicImageBlock {
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

export function assistantBlocks(entry: ContextEntry, refuse: Refuse): AnthropicTextBlock[] {
  return assistantTexts(entry, refuse, UPSTREAM, "an assistant turn").map((text) => ({ type: "text", text }));
}

export function toolResultContent(
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
