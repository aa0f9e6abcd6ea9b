/**
 * The names `ResponseStream.on()` accepts, so that a typo is a compile error rather than a listener that
 * never fires: the specification's event types, `"event"` (every event), the stream's lifecycle
 * (`connect`, `end`, `abort`, `error`), the wild names the parser rewrites, the further events OpenAI
 * streams for its hosted tools, and any provider-prefixed name (`acme:progress`, rule X3).
 */

import type { APIUserAbortError } from "../errors.js";
import type { ExtensionStreamingEvent, StreamingEventOf, StreamingEventType } from "../spec/index.js";
import type { NormalisedEventFields, ResponseStreamEvent } from "./events.js";

/**
 * Names some servers send that the parser rewrites to the specification's (see `event-parser.ts`): a
 * listener on the wild name receives the rewritten event, so it is typed as that event.
 */
export interface AliasedEventTypes {
  "response.reasoning_text.delta": "response.reasoning.delta";
  "response.reasoning_text.done": "response.reasoning.done";
}

/** The stream's own moments, not server events. */
export type LifecycleEventName = "connect" | "end" | "abort" | "error";

/** Events OpenAI streams beyond the specification (hosted tools, audio); they arrive as extension events. */
export type OpenAIStreamingEventType =
  | "response.output_text.annotation.added"
  | "response.audio.delta"
  | "response.audio.done"
  | "response.audio.transcript.delta"
  | "response.audio.transcript.done"
  | "response.code_interpreter_call.in_progress"
  | "response.code_interpreter_call.interpreting"
  | "response.code_interpreter_call.completed"
  | "response.code_interpreter_call_code.delta"
  | "response.code_interpreter_call_code.done"
  | "response.custom_tool_call_input.delta"
  | "response.custom_tool_call_input.done"
  | "response.file_search_call.in_progress"
  | "response.file_search_call.searching"
  | "response.file_search_call.completed"
  | "response.image_generation_call.in_progress"
  | "response.image_generation_call.generating"
  | "response.image_generation_call.partial_image"
  | "response.image_generation_call.completed"
  | "response.mcp_call.in_progress"
  | "response.mcp_call.completed"
  | "response.mcp_call.failed"
  | "response.mcp_call_arguments.delta"
  | "response.mcp_call_arguments.done"
  | "response.mcp_list_tools.in_progress"
  | "response.mcp_list_tools.completed"
  | "response.mcp_list_tools.failed"
  | "response.shell_call_command.added"
  | "response.shell_call_command.delta"
  | "response.shell_call_command.done"
  | "response.shell_call_output_content.delta"
  | "response.shell_call_output_content.done"
  | "response.web_search_call.in_progress"
  | "response.web_search_call.searching"
  | "response.web_search_call.completed";

/** Every name `.on()`, `.once()` and `.off()` accept. */
export type ResponseStreamEventName =
  | StreamingEventType
  | "event"
  | LifecycleEventName
  | keyof AliasedEventTypes
  | OpenAIStreamingEventType
  | `${string}:${string}`;

/** A listener for one name; its argument follows the name. */
export type ResponseStreamListener<T extends string> = T extends "connect" | "end"
  ? () => void
  : T extends "abort"
    ? (error: APIUserAbortError) => void
    : T extends "error"
      ? (error: Error) => void
      : (
          event: T extends StreamingEventType
            ? StreamingEventOf<T>
            : T extends keyof AliasedEventTypes
              ? StreamingEventOf<AliasedEventTypes[T]> & NormalisedEventFields
              : T extends "event"
                ? ResponseStreamEvent
                : ExtensionStreamingEvent,
        ) => void;
