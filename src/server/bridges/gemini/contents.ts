/**
 * The resolved context as Gemini `contents`: system and developer text goes to `systemInstruction`,
 * everything else becomes `user` and `model` turns, adjacent items of one role merged into one turn.
 * A function call is a `functionCall` part of the model turn; its output a `functionResponse` part of the
 * next user turn, which needs the function's name: it is taken from the call with the same `call_id` in
 * the context. The reasoning items this bridge emitted put their thought signatures back on the part they
 * came from (see `stream.ts` for where each one sits).
 */

import { isRecord, type JsonRecord } from "../../../internal/guards.js";
import { type ContextEntry, describeType, instructionText, parseArguments } from "../context-items.js";
import { isHttpUrl, mimeTypeFromName, parseDataUrl, readFileData } from "../media.js";
import { decodeProviderState } from "../provider-state.js";
import type { Refuse } from "../refusal.js";
import type { GeminiContent, GeminiPart } from "./wire.js";

export const UPSTREAM = "The Gemini API";

/** Call ids the bridge made up because Gemini sent none; they are not sent back as Gemini ids. */
export const SYNTHETIC_CALL_PREFIX = "gcall_";

export interface GeminiContext {
  systemTexts: string[];
  contents: GeminiContent[];
}

/** Maps `instructions` plus the context; `names` are the function names by call id (`callNames`). */
export function geminiContents(
  instructions: string | null | undefined,
  entries: ContextEntry[],
  names: Map<string, string>,
  refuse: Refuse,
): GeminiContext {
  const systemTexts: string[] = instructions ? [instructions] : [];
  const turns = new Turns();
  for (const entry of entries) {
    const { item, param } = entry;
    switch (item.type) {
      case "message":
        if (item.role === "system" || item.role === "developer") {
          const text = instructionText(entry, refuse, UPSTREAM);
          if (text !== "") systemTexts.push(text);
        } else if (item.role === "user") {
          for (const part of userParts(entry, refuse)) turns.add("user", part);
        } else if (item.role === "assistant") {
          for (const part of modelTextParts(entry, refuse)) turns.add("model", part);
        } else refuse(`${param}.role`, `${UPSTREAM} has no ${JSON.stringify(item.role)} role.`);
        break;
      case "function_call":
        turns.add("model", {
          functionCall: {
            name: String(item.name),
            args: parseArguments(entry, refuse, UPSTREAM),
            ...geminiId(item.call_id),
          },
        });
        break;
      case "function_call_output":
        turns.add("user", functionResponse(entry, names, refuse));
        break;
      case "reasoning":
        replaySignature(entry, turns, refuse);
        break;
      default:
        refuse(param, `${UPSTREAM} has no equivalent of a ${describeType(item)} item.`);
    }
  }
  return { systemTexts, contents: turns.finish() };
}

function geminiId(callId: unknown): { id?: string } {
  return typeof callId === "string" && callId !== "" && !callId.startsWith(SYNTHETIC_CALL_PREFIX)
    ? { id: callId }
    : {};
}

/** Turns of alternating roles; a signature waiting for the model part that follows it. */
class Turns {
  readonly #contents: GeminiContent[] = [];
  #pendingSignature: string | undefined;

  add(role: "user" | "model", part: GeminiPart): void {
    if (role === "model" && this.#pendingSignature !== undefined) {
      part = { ...part, thoughtSignature: this.#pendingSignature };
      this.#pendingSignature = undefined;
    }
    if (role === "user") this.#flushPending();
    const last = this.#contents.at(-1);
    if (last?.role === role) last.parts.push(part);
    else this.#contents.push({ role, parts: [part] });
  }

  /** A signature for the next model part (it came on a function call, announced just before it). */
  signNext(signature: string): void {
    this.#flushPending();
    this.#pendingSignature = signature;
  }

  /** A signature for the model's last text part (it came on the text's last piece). */
  signPrevious(signature: string): void {
    this.#flushPending();
    const last = this.#contents.at(-1);
    const part = last?.role === "model" ? last.parts.at(-1) : undefined;
    if (
      part !== undefined &&
      typeof part.text === "string" &&
      part.thought !== true &&
      part.thoughtSignature === undefined
    )
      part.thoughtSignature = signature;
    else this.add("model", { text: "", thoughtSignature: signature });
  }

  finish(): GeminiContent[] {
    this.#flushPending();
    return this.#contents;
  }

  /** A signature whose part never came (the client left it out) still goes back, on an empty text part. */
  #flushPending(): void {
    const signature = this.#pendingSignature;
    if (signature === undefined) return;
    this.#pendingSignature = undefined;
    this.add("model", { text: "", thoughtSignature: signature });
  }
}

function replaySignature(entry: ContextEntry, turns: Turns, refuse: Refuse): void {
  const state = decodeProviderState("gemini", entry.item.encrypted_content);
  if (state === undefined) return;
  const signature = state?.signature;
  if (state === null || typeof signature !== "string")
    refuse(
      `${entry.param}.encrypted_content`,
      "This reasoning item's encrypted_content was altered; send it back exactly as it was returned.",
      "invalid_encrypted_content",
    );
  if (state.on === "thought")
    turns.add("model", { text: String(state.text ?? ""), thought: true, thoughtSignature: signature });
  else if (state.on === "functionCall") turns.signNext(signature);
  else if (state.standalone === true) turns.add("model", { text: "", thoughtSignature: signature });
  else turns.signPrevious(signature);
}

function userParts(entry: ContextEntry, refuse: Refuse): GeminiPart[] {
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

function modelTextParts(entry: ContextEntry, refuse: Refuse): GeminiPart[] {
  const content = entry.item.content;
  if (typeof content === "string") return content === "" ? [] : [{ text: content }];
  if (!Array.isArray(content)) refuse(`${entry.param}.content`, "A message needs content.");
  const parts: GeminiPart[] = [];
  content.forEach((part, index) => {
    const record = isRecord(part) ? part : {};
    const text =
      record.type === "output_text" ? record.text : record.type === "refusal" ? record.refusal : undefined;
    if (typeof text !== "string")
      refuse(
        `${entry.param}.content[${index}]`,
        `${UPSTREAM} has no equivalent of ${describeType(part)} content in a model turn.`,
      );
    if (text !== "") parts.push({ text });
  });
  return parts;
}

function functionResponse(entry: ContextEntry, names: Map<string, string>, refuse: Refuse): GeminiPart {
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
