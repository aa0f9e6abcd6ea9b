/**
 * Reading the media references of Open Responses content (`image_url`, `file_data`, `file_url`,
 * `video_url`) into what provider APIs take: inline base64 with a MIME type, or a URL. Both bridges
 * need the same readings, so they live here once.
 */

/** Inline data: a MIME type and base64 text. */
export interface InlineMedia {
  mimeType: string;
  data: string;
}

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*?);base64,(.*)$/s;

/** `data:<mime>;base64,<data>` → its parts; anything else (a plain URL, a non-base64 data URL) → undefined. */
export function parseDataUrl(value: string): InlineMedia | undefined {
  const match = DATA_URL.exec(value);
  if (match === null) return undefined;
  return { mimeType: match[1]!.toLowerCase(), data: match[3]! };
}

/** True for an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  json: "application/json",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  mp4: "video/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
};

/** The MIME type a file name or URL path suggests by its extension, if it is a common one. */
export function mimeTypeFromName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const path = name.split(/[?#]/, 1)[0]!;
  const dot = path.lastIndexOf(".");
  if (dot < 0) return undefined;
  return MIME_BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

/**
 * `file_data` as clients send it: OpenAI's clients send a data URL, the spec says "base64-encoded
 * data"; a bare base64 string takes its MIME type from the file name.
 */
export function readFileData(fileData: string, filename: string | undefined): InlineMedia | undefined {
  const parsed = parseDataUrl(fileData);
  if (parsed !== undefined) return parsed;
  const mimeType = mimeTypeFromName(filename);
  return mimeType === undefined ? undefined : { mimeType, data: fileData };
}
