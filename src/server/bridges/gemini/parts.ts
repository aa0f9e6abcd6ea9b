/**
 * Open Responses content as Gemini parts: text, media (`inlineData` from a data URL, `fileData` for a
 * URL), the model's text, function calls' ids, and a function output as a `functionResponse` part.
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import { assistantTexts, type ContextEntry, describeType } from "../context-items.js";
import { isHttpUrl, mimeTypeFromName, parseDataUrl, readFileData } from "../media.js";
import type { Refuse } from "../refuse.js";
import { type GeminiPart, SYNTHETIC_CALL_PREFIX, UPSTREAM } from "./wire.js";

export function geminiId(callId: unknown): { id?: string } {
  return typeof callId === "string" && callId !== "" && !callId.startsWith(SYNTHETIC_CALL_PREFIX)
    ? { id: callId }
    : {};
}

export function userParts(entry: ContextEntry, refuse: Refuse): GeminiPart[] {
  const content = entry.item.content;
  if (typeof content === "string") return content === "" ? [] : [{ text: content }];
  if (!Array.isArray(content)) refuse(`${entry.param}.content`, "A message needs content.");
  const parts: GeminiPart[] = [];
  content.forEach((part, index) => {
    const mapped = mediaOrText(isRecord(part) ? part : {}, `${entry.param}.content[${index}]`, refuse);
    if (mapped !== undefined) parts.push(mapped);
  });
  return parts;
}

function mediaOrText(part: JsonRecord, param: string, refuse: Refuse): GeminiPart | undefined {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return typeof part.text === "string" && part.text !== "" ? { text: part.text } : undefined;
    case "input_image":
      return withDetail(
        media(part.image_url, undefined, `${param}.image_url`, refuse),
        part.detail,
        param,
        refuse,
      );
    case "input_file": {
      const filename = typeof part.filename === "string" ? part.filename : undefined;
      if (typeof part.file_data === "string") {
        const inline = readFileData(part.file_data, filename);
        if (inline === undefined)
          refuse(
            `${param}.file_data`,
            `${UPSTREAM} needs the file's MIME type: send a data URL, or a filename with a known extension.`,
          );
        return { inlineData: inline };
      }
      if (typeof part.file_url === "string")
        return media(part.file_url, filename, `${param}.file_url`, refuse);
      return refuse(
        param,
        `${UPSTREAM} needs a file as file_data or file_url (file ids are not shared with it).`,
      );
    }
    case "input_video":
      return media(part.video_url, undefined, `${param}.video_url`, refuse);
    default:
      return refuse(param, `${UPSTREAM} has no equivalent of ${describeType(part)} content.`);
  }
}

/** A data URL inline, a URL as `fileData` (Gemini needs its MIME type, read from the name). */
function media(value: unknown, filename: string | undefined, param: string, refuse: Refuse): GeminiPart {
  if (typeof value !== "string" || value === "")
    return refuse(param, `${UPSTREAM} needs a URL or a base64 data URL here.`);
  const inline = parseDataUrl(value);
  if (inline !== undefined) return { inlineData: inline };
  const mimeType = mimeTypeFromName(filename) ?? mimeTypeFromName(value);
  if (!isHttpUrl(value) && !value.startsWith("gs://"))
    refuse(param, `${UPSTREAM} needs a base64 data URL or an http(s) URL here.`);
  if (mimeType === undefined)
    refuse(
      param,
      `${UPSTREAM} needs the MIME type of a file URL; use a URL whose name ends in a known extension, or a data URL.`,
    );
  return { fileData: { mimeType, fileUri: value } };
}

function withDetail(part: GeminiPart, detail: unknown, param: string, refuse: Refuse): GeminiPart {
  if (detail === "low") return { ...part, mediaResolution: { level: "MEDIA_RESOLUTION_LOW" } };
  if (detail === "high") return { ...part, mediaResolution: { level: "MEDIA_RESOLUTION_HIGH" } };
  if (detail !== undefined && detail !== null && detail !== "auto")
    refuse(`${param}.detail`, `${UPSTREAM} takes image detail "low", "high" or "auto".`);
  return part;
}

export function modelTextParts(entry: ContextEntry, refuse: Refuse): GeminiPart[] {
  return assistantTexts(entry, refuse, UPSTREAM, "a model turn").map((text) => ({ text }));
}

export function functionResponse(
  entry: ContextEntry,
  names: Map<string, string>,
  refuse: Refuse,
): GeminiPart {
  const callId = entry.item.call_id;
  const name = typeof callId === "string" ? names.get(callId) : undefined;
  if (name === undefined)
    refuse(
      `${entry.param}.call_id`,
      `${UPSTREAM} needs the function's name with its result, and no function_call with this call_id is in the context.`,
      "invalid_request",
    );
  const output = entry.item.output;
  const response: NonNullable<GeminiPart["functionResponse"]> = {
    name,
    response: { output: "" },
    ...geminiId(callId),
  };
  if (typeof output === "string") {
    response.response = { output };
    return { functionResponse: response };
  }
  if (!Array.isArray(output)) refuse(`${entry.param}.output`, "A function call output needs an output.");
  const texts: string[] = [];
  const media: Array<{ inlineData: { mimeType: string; data: string } }> = [];
  output.forEach((part, index) => {
    const mapped = mediaOrText(isRecord(part) ? part : {}, `${entry.param}.output[${index}]`, refuse);
    if (mapped?.text !== undefined) texts.push(mapped.text);
    else if (mapped?.inlineData !== undefined) media.push({ inlineData: mapped.inlineData });
    else if (mapped !== undefined)
      refuse(
        `${entry.param}.output[${index}]`,
        `${UPSTREAM} takes function results as text and inline (data URL) media only.`,
      );
  });
  response.response = { output: texts.join("\n") };
  if (media.length > 0) response.parts = media;
  return { functionResponse: response };
}
