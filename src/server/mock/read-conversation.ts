/**
 * Reads the resolved context (`ModelRequest.input`) into the few things the built-in model reasons
 * about. Items are read as plain records on purpose: the mock must cope with anything a client sends
 * (ItemParam or ItemField shapes, extension items, missing optional fields) without trusting types.
 */

import { isRecord, type JsonRecord } from "../../internal/guards.js";
import { type CompactionState, decodeCompactionState } from "./compaction.js";
import { extractFacts, type Facts } from "./facts.js";

/**
 * How much of a message the built-in model reads when it decides what to say: the first 4096
 * characters, with each run of whitespace read as one space. Its skills are pattern matches, and
 * bounding their input keeps every one of them fast whatever a client sends ("hi" followed by 100k
 * spaces took seconds when the whole text was matched). Echo is the exception: it repeats up to
 * `MAX_ECHO_CHARS` of the message as sent.
 */
export const MAX_ANALYSED_CHARS = 4096;

/** Whitespace that `\s+ → " "` changes: any but a space, or two in a row. */
const COLLAPSIBLE = /[^\S ]|\s\s/;

/** The part of `text` the model's pattern matching reads (see `MAX_ANALYSED_CHARS`). */
export function analysedText(text: string): string {
  // Cut before collapsing, so the regex below never runs over more than the bound (plus one run).
  const head = text.length > MAX_ANALYSED_CHARS * 4 ? text.slice(0, MAX_ANALYSED_CHARS * 4) : text;
  // A text whose only whitespace is single spaces collapses to itself: tested without making a copy.
  const collapsed = COLLAPSIBLE.test(head) ? head.replace(/\s+/g, " ") : head;
  return collapsed.length > MAX_ANALYSED_CHARS ? collapsed.slice(0, MAX_ANALYSED_CHARS) : collapsed;
}

export interface Attachment {
  kind: "image" | "file" | "video";
  /** A short human label: a file name, a URL's last segment, or the media type of a data URL. */
  label: string;
}

export interface UserTurn {
  text: string;
  attachments: Attachment[];
}

export interface ToolResult {
  callId: string;
  /** The name of the function that was called, when the matching function_call is in the context. */
  name: string | undefined;
  arguments: string | undefined;
  output: string;
}

export interface ConversationContext {
  /** Every user message, oldest first. */
  userTurns: UserTurn[];
  /** The newest user message, if any. */
  lastUser: UserTurn | undefined;
  /** Function outputs that arrived after the newest user message: this turn answers them. */
  pendingToolResults: ToolResult[];
  /** Facts stated by the user, including those carried in by a compaction item. */
  facts: Facts;
  /** Earlier user messages folded into compaction items that came back as input. */
  compactedTurns: string[];
  /** How many compaction items were recognised as ours. */
  compactions: number;
  /** System/developer instructions, in order (request `instructions` included). */
  instructions: string[];
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function lastSegment(url: string): string {
  const clean = url.split(/[?#]/)[0] ?? url;
  const segment = clean.split("/").filter(Boolean).pop();
  return segment && segment.length <= 80 ? segment : "remote";
}

/** Labels an image or file source without ever echoing a (possibly huge) data URL. */
function labelSource(url: string | undefined, fallback: string): string {
  if (!url) return fallback;
  const dataMatch = /^data:([^;,]+)/.exec(url);
  if (dataMatch) return `inline ${dataMatch[1]}`;
  if (url.startsWith("data:")) return "inline data";
  return lastSegment(url);
}

function readAttachment(part: JsonRecord): Attachment | undefined {
  switch (part.type) {
    case "input_image":
      return { kind: "image", label: labelSource(str(part.image_url), str(part.file_id) ?? "image") };
    case "input_file": {
      const name =
        str(part.filename) ?? (str(part.file_url) ? lastSegment(str(part.file_url) ?? "") : undefined);
      const label = name ?? (str(part.file_data) ? labelSource(str(part.file_data), "inline file") : "file");
      return { kind: "file", label };
    }
    case "input_video":
      return { kind: "video", label: labelSource(str(part.video_url), "video") };
    default:
      return undefined;
  }
}

/** Text and attachments of a message's `content`, which may be a string or an array of parts. */
export function readContent(content: unknown): UserTurn {
  if (typeof content === "string") return { text: content, attachments: [] };
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  if (Array.isArray(content)) {
    for (const part of content) {
      if (!isRecord(part)) continue;
      const text = str(part.text) ?? str(part.refusal);
      if (text !== undefined && part.type !== "input_file") texts.push(text);
      const attachment = readAttachment(part);
      if (attachment) attachments.push(attachment);
    }
  }
  return { text: texts.join("\n"), attachments };
}

function readToolOutput(output: unknown): string {
  if (typeof output === "string") return output;
  return readContent(output).text;
}

/** Builds the model's view of the conversation from the resolved input items. */
export function readContext(input: readonly unknown[], instructions?: string | null): ConversationContext {
  const userTurns: UserTurn[] = [];
  const calls = new Map<string, { name: string | undefined; arguments: string | undefined }>();
  let pendingToolResults: ToolResult[] = [];
  const compactedTurns: string[] = [];
  const instructionTexts: string[] = instructions ? [instructions] : [];
  let compactions = 0;
  let facts: Facts = new Map();

  for (const item of input) {
    if (!isRecord(item)) continue;
    const type = item.type ?? (item.role ? "message" : undefined);
    if (type === "message") {
      const role = str(item.role);
      const turn = readContent(item.content);
      if (role === "user") {
        userTurns.push(turn);
        facts = extractFacts(analysedText(turn.text), facts);
        pendingToolResults = [];
      } else if (role === "system" || role === "developer") {
        if (turn.text) instructionTexts.push(turn.text);
      }
    } else if (type === "function_call") {
      const callId = str(item.call_id);
      if (callId) calls.set(callId, { name: str(item.name), arguments: str(item.arguments) });
    } else if (type === "function_call_output") {
      const callId = str(item.call_id) ?? "";
      const call = calls.get(callId);
      pendingToolResults.push({
        callId,
        name: call?.name,
        arguments: call?.arguments,
        output: readToolOutput(item.output),
      });
    } else if (type === "compaction") {
      const state: CompactionState | undefined = decodeCompactionState(str(item.encrypted_content));
      if (state) {
        compactions += 1;
        compactedTurns.push(...state.turns);
        // Facts restated after the compaction win, so carried facts go in underneath the current ones.
        facts = new Map([...state.facts, ...facts]);
      }
    }
  }

  return {
    userTurns,
    lastUser: userTurns[userTurns.length - 1],
    pendingToolResults,
    facts,
    compactedTurns,
    compactions,
    instructions: instructionTexts,
  };
}
