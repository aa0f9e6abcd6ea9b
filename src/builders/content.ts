/**
 * Content parts for request messages and function call outputs (rule I3): text, an image by URL or data
 * URL, a file by URL or by its bytes, a video by URL.
 */

import type {
  ImageDetail,
  InputFileContentParam,
  InputImageContentParamAutoParam,
  InputTextContentParam,
  InputVideoContent,
} from "../spec/types.gen.js";
import { invalid } from "./invalid.js";

/** The specification's size bounds, checked early so a bad part fails here and not as a server 400. */
const MAX_IMAGE_URL_LENGTH = 20_971_520;
const MAX_FILE_DATA_LENGTH = 33_554_432;
const MAX_TEXT_LENGTH = 10_485_760;
const DETAILS: readonly ImageDetail[] = ["low", "high", "auto"];

/** `{ type: "input_text", text }`. */
export function inputText(text: string): InputTextContentParam {
  if (typeof text !== "string") throw invalid("InputTextContentParam", "text", "must be a string");
  if (text.length > MAX_TEXT_LENGTH) {
    throw invalid("InputTextContentParam", "text", `must be at most ${MAX_TEXT_LENGTH} characters long`);
  }
  return { type: "input_text", text };
}

export interface InputImageOptions {
  /** How closely the model looks at the image; the server's default is `auto`. */
  detail?: ImageDetail;
}

/**
 * An image by URL (`https://...`) or data URL (`data:image/png;base64,...`), with an optional `detail`.
 */
export function inputImage(
  urlOrDataUrl: string,
  options: InputImageOptions = {},
): InputImageContentParamAutoParam {
  if (typeof urlOrDataUrl !== "string" || urlOrDataUrl.length === 0) {
    throw invalid("InputImageContentParamAutoParam", "image_url", "must be a non-empty URL or data URL");
  }
  if (urlOrDataUrl.length > MAX_IMAGE_URL_LENGTH) {
    throw invalid(
      "InputImageContentParamAutoParam",
      "image_url",
      `must be at most ${MAX_IMAGE_URL_LENGTH} characters long`,
    );
  }
  const part: InputImageContentParamAutoParam = { type: "input_image", image_url: urlOrDataUrl };
  if (options.detail !== undefined) {
    if (!DETAILS.includes(options.detail)) {
      throw invalid(
        "InputImageContentParamAutoParam",
        "detail",
        `must be one of "low", "high", "auto" (got ${JSON.stringify(options.detail)})`,
      );
    }
    part.detail = options.detail;
  }
  return part;
}

/** A file the server fetches itself. */
export interface FileByURL {
  url: string;
  filename?: string;
}

/** A file sent inline: its bytes, or the bytes as base64 (or already as a `data:` URL). */
export interface FileByData {
  data: string | Uint8Array | ArrayBuffer;
  filename: string;
  /** The media type for the data URL; guessed from the filename's extension when omitted. */
  mimeType?: string;
}

/**
 * A file by URL, or by data. Inline data is sent as a `data:<mimeType>;base64,<data>` URL in `file_data`,
 * the form servers that implement the specification accept.
 */
export function inputFile(source: FileByURL | FileByData): InputFileContentParam {
  if (typeof source !== "object" || source === null) {
    throw invalid("InputFileContentParam", "", "pass { url } or { data, filename }");
  }
  if ("url" in source && source.url !== undefined) {
    if (typeof source.url !== "string" || source.url.length === 0) {
      throw invalid("InputFileContentParam", "file_url", "must be a non-empty URL");
    }
    const part: InputFileContentParam = { type: "input_file", file_url: source.url };
    if (source.filename !== undefined) part.filename = source.filename;
    return part;
  }
  if (!("data" in source) || source.data === undefined) {
    throw invalid("InputFileContentParam", "", "pass { url } or { data, filename }");
  }
  if (typeof source.filename !== "string" || source.filename.length === 0) {
    throw invalid("InputFileContentParam", "filename", "is required with inline data");
  }
  const fileData = toDataURL(source.data, source.mimeType ?? guessMimeType(source.filename));
  if (fileData.length > MAX_FILE_DATA_LENGTH) {
    throw invalid(
      "InputFileContentParam",
      "file_data",
      `must be at most ${MAX_FILE_DATA_LENGTH} characters long`,
    );
  }
  return { type: "input_file", filename: source.filename, file_data: fileData };
}

/** `{ type: "input_video", video_url }`. Usable in function call outputs (user messages take no video). */
export function inputVideo(url: string): InputVideoContent {
  if (typeof url !== "string" || url.length === 0) {
    throw invalid("InputVideoContent", "video_url", "must be a non-empty URL");
  }
  return { type: "input_video", video_url: url };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function toDataURL(data: string | Uint8Array | ArrayBuffer, mimeType: string): string {
  if (typeof data === "string") {
    if (data.startsWith("data:")) return data;
    const compact = data.replace(/\s+/g, "");
    if (!BASE64.test(compact) || compact.length % 4 === 1) {
      throw invalid("InputFileContentParam", "file_data", "must be base64 (pass raw bytes as a Uint8Array)");
    }
    return `data:${mimeType};base64,${compact}`;
  }
  if (data instanceof ArrayBuffer || data instanceof Uint8Array) {
    return `data:${mimeType};base64,${bytesToBase64(data instanceof Uint8Array ? data : new Uint8Array(data))}`;
  }
  throw invalid(
    "InputFileContentParam",
    "file_data",
    "must be a base64 string, a Uint8Array or an ArrayBuffer",
  );
}

/** Base64 with web standards only (`btoa`), in chunks so large files do not overflow the call stack. */
function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  json: "application/json",
  xml: "application/xml",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

function guessMimeType(filename: string): string {
  const dot = filename.lastIndexOf(".");
  const extension = dot >= 0 ? filename.slice(dot + 1).toLowerCase() : "";
  return MIME_TYPES[extension] ?? "application/octet-stream";
}
