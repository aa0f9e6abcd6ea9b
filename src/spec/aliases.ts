/**
 * The names a user reaches for, on top of the specification's component names. Request-side aliases stay
 * exact (a typo is a compile error); response-side aliases include the extensions of rules X1–X4.
 */

import { isRecord } from "../internal/guards.js";
import type { ExtensionContent, ExtensionStreamingEvent } from "./extensions.js";
import type {
  CompactResponseMethodPublicBody,
  Error as ErrorSchema,
  FunctionCall,
  FunctionCallOutput,
  InputFileContentParam,
  InputImageContentParamAutoParam,
  InputTextContentParam,
  InputVideoContent,
  ItemField,
  ItemParam,
  Message,
  OutputTextContent,
  ReasoningBody,
  ReasoningTextContent,
  RefusalContent,
  ResponseResource,
  ResponsesToolParam,
  StreamingEvent,
  SummaryTextContent,
  Tool,
  ToolChoiceParam,
} from "./types.gen.js";

/** An input item of a request (`CreateResponseBody.input`). */
export type Item = ItemParam;

/** An output item of a response: the standard items plus extension items (X1, X2). */
export type OutputItem = ItemField;

/** The `type` of an output item, standard or extension. */
export type OutputItemType = OutputItem["type"];

/** Content a user (or a function call output) sends: text, image, file, video. */
export type InputContent =
  | InputTextContentParam
  | InputImageContentParamAutoParam
  | InputFileContentParam
  | InputVideoContent;

/** Content the model produces in an assistant message or a reasoning item, plus extension content. */
export type OutputContent =
  | OutputTextContent
  | RefusalContent
  | ReasoningTextContent
  | SummaryTextContent
  | ExtensionContent;

/** Any content part of a response-side message (what `response.content_part.*` events carry). */
export type ContentPart = Message["content"][number];

/** The standard streaming event types. */
export type StreamingEventType = StreamingEvent["type"];

/** A streaming event as it arrives on the wire: a standard event or an extension event (X2, X3). */
export type AnyStreamingEvent = StreamingEvent | ExtensionStreamingEvent;

/** Picks the standard event with the given `type`. */
export type StreamingEventOf<T extends StreamingEventType> = Extract<StreamingEvent, { type: T }>;

/**
 * The lifecycle states of a response (rule S5). `ResponseResource.status` is a plain string in the
 * specification, so compare against these rather than assume the list is closed.
 */
export type ResponseStatus = "queued" | "in_progress" | "completed" | "incomplete" | "failed" | "cancelled";

/** What `tool_choice` accepts in a request (rule P2). */
export type ToolChoice = ToolChoiceParam;

/** A tool definition in a request. */
export type ToolParam = ResponsesToolParam;

/** A tool definition echoed in a response. */
export type ResponseTool = Tool;

/** A request body for `POST /responses/compact` (`model` is required, rule H2). */
export type CompactParams = CompactResponseMethodPublicBody;

/** `ResponseResource.error`: the schema is named `Error`, which shadows the global; this name does not. */
export type ResponseError = ErrorSchema;

/** Friendly names of the standard output items. */
export type MessageItem = Message;
export type FunctionCallItem = FunctionCall;
export type FunctionCallOutputItem = FunctionCallOutput;
export type ReasoningItem = ReasoningBody;

/**
 * The text of a response: the `output_text` parts of its assistant messages, concatenated in order.
 * Refusals, reasoning and extension items are not text and are skipped. It tolerates odd shapes from
 * lenient servers (a missing `output`, a message without `role`, non-object entries) instead of throwing.
 */
export function outputText(response: { readonly output?: readonly OutputItem[] | unknown }): string {
  const output = response.output;
  if (!Array.isArray(output)) return "";
  let text = "";
  for (const item of output as unknown[]) {
    if (!isRecord(item) || item.type !== "message") continue;
    if (item.role !== undefined && item.role !== "assistant") continue;
    if (!Array.isArray(item.content)) continue;
    for (const part of item.content as unknown[]) {
      if (isRecord(part) && part.type === "output_text" && typeof part.text === "string") text += part.text;
    }
  }
  return text;
}

/** A response as the client hands it back: `output_text` is added (by `withOutputText`). */
export type ResponseWithOutputText = ResponseResource & {
  /** The text of every `output_text` part of every assistant message, joined (empty when none). */
  readonly output_text: string;
};

/**
 * Adds `output_text` to a response object, in place, as the one way every part of the client does it
 * (`create()`, `finalResponse()`, WebSocket turns, `Conversation`, `runTools`, `retrieve()`). A
 * non-enumerable getter: `JSON.stringify(response)` stays exactly what the server sent, and a caller who
 * edits `output` still reads the right text. Idempotent.
 */
export function withOutputText<T extends object>(response: T): T & { readonly output_text: string } {
  if (!Object.hasOwn(response, "output_text")) {
    // Not enumerable: `defineProperty`'s default.
    Object.defineProperty(response, "output_text", {
      get: () => outputText(response as { output?: unknown }),
      configurable: true,
    });
  }
  return response as T & { readonly output_text: string };
}
