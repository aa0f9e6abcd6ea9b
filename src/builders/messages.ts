/**
 * Input items (rule I1): messages for each role, item references and function call outputs. Each builder
 * returns the exact request type, so its output can go straight into `input`.
 */

import type {
  AssistantMessageItemParam,
  DeveloperMessageItemParam,
  FunctionCallItemParam,
  FunctionCallOutputItemParam,
  InputFileContentParam,
  InputImageContentParamAutoParam,
  InputTextContentParam,
  InputVideoContent,
  ItemReferenceParam,
  OutputTextContentParam,
  RefusalContentParam,
  SystemMessageItemParam,
  UserMessageItemParam,
} from "../spec/types.gen.js";
import { inputText } from "./content.js";
import { invalid } from "./invalid.js";

/** What a user message may contain; a plain string in the array becomes an `input_text` part. */
export type UserContentPart = InputTextContentParam | InputImageContentParamAutoParam | InputFileContentParam;

/** What an assistant message may contain; a plain string in the array becomes an `output_text` part. */
export type AssistantContentPart = OutputTextContentParam | RefusalContentParam;

/** What a function call output may carry besides a string. */
export type FunctionOutputContentPart =
  | InputTextContentParam
  | InputImageContentParamAutoParam
  | InputFileContentParam
  | InputVideoContent;

export interface MessageOptions {
  /** The item's id, when replaying an item the server created. */
  id?: string;
}

export interface AssistantMessageOptions extends MessageOptions {
  /** Rule I4: `commentary` for intermediate text, `final_answer` for the answer. Resend it as received. */
  phase?: "commentary" | "final_answer";
}

/** A user message: `userMessage("Hi")` or `userMessage(["What is this?", inputImage(url)])`. */
export function userMessage(
  content: string | ReadonlyArray<string | UserContentPart>,
  options: MessageOptions = {},
): UserMessageItemParam {
  const item: UserMessageItemParam = {
    type: "message",
    role: "user",
    content: inputContent("UserMessageItemParam", content),
  };
  return withId(item, options);
}

/** A system message (string or `input_text` parts). */
export function systemMessage(
  content: string | ReadonlyArray<string | InputTextContentParam>,
  options: MessageOptions = {},
): SystemMessageItemParam {
  const item: SystemMessageItemParam = {
    type: "message",
    role: "system",
    content: inputContent("SystemMessageItemParam", content),
  };
  return withId(item, options);
}

/** A developer message (string or `input_text` parts). */
export function developerMessage(
  content: string | ReadonlyArray<string | InputTextContentParam>,
  options: MessageOptions = {},
): DeveloperMessageItemParam {
  const item: DeveloperMessageItemParam = {
    type: "message",
    role: "developer",
    content: inputContent("DeveloperMessageItemParam", content),
  };
  return withId(item, options);
}

/** An assistant message, e.g. to replay an earlier turn, with the optional `phase` of rule I4. */
export function assistantMessage(
  content: string | ReadonlyArray<string | AssistantContentPart>,
  options: AssistantMessageOptions = {},
): AssistantMessageItemParam {
  if (typeof content !== "string" && !Array.isArray(content)) {
    throw invalid("AssistantMessageItemParam", "content", "must be a string or an array of content parts");
  }
  const parts =
    typeof content === "string"
      ? content
      : content.map(
          (part): AssistantContentPart =>
            typeof part === "string" ? { type: "output_text", text: part } : part,
        );
  const item: AssistantMessageItemParam = { type: "message", role: "assistant", content: parts };
  withId(item, options);
  if (options.phase !== undefined) {
    if (options.phase !== "commentary" && options.phase !== "final_answer") {
      throw invalid(
        "AssistantMessageItemParam",
        "phase",
        `must be "commentary" or "final_answer" (got ${JSON.stringify(options.phase)})`,
      );
    }
    item.phase = options.phase;
  }
  return item;
}

/** A reference to an item the server already has (for example from an earlier response). */
export function itemReference(id: string): ItemReferenceParam {
  if (typeof id !== "string" || id.length === 0)
    throw invalid("ItemReferenceParam", "id", "must be a non-empty string");
  return { type: "item_reference", id };
}

export interface FunctionCallOutputOptions {
  id?: string;
  status?: "in_progress" | "completed" | "incomplete";
}

/**
 * The answer to a `function_call` (rule P4), matched by `call_id`. A string is sent as is; an array of
 * content parts (`inputText`, `inputImage`, `inputFile`, `inputVideo`) as parts; any other value as JSON
 * (an empty array too: a function that found nothing).
 */
export function functionCallOutput(
  callId: string,
  output: string | readonly FunctionOutputContentPart[] | object | number | boolean | null,
  options: FunctionCallOutputOptions = {},
): FunctionCallOutputItemParam {
  checkCallId("FunctionCallOutputItemParam", callId);
  const item: FunctionCallOutputItemParam = {
    type: "function_call_output",
    call_id: callId,
    output: isContentParts(output) ? [...output] : typeof output === "string" ? output : toJSON(output),
  };
  if (options.id !== undefined) item.id = options.id;
  if (options.status !== undefined) item.status = options.status;
  return item;
}

export interface FunctionCallInit {
  callId: string;
  name: string;
  /** The arguments as a JSON string, or a value to serialise. */
  arguments: string | object;
  id?: string;
  status?: "in_progress" | "completed" | "incomplete";
}

/** A `function_call` input item, to replay a call the model made (with its output after it). */
export function functionCall(init: FunctionCallInit): FunctionCallItemParam {
  checkCallId("FunctionCallItemParam", init.callId);
  checkFunctionName("FunctionCallItemParam", init.name);
  const item: FunctionCallItemParam = {
    type: "function_call",
    call_id: init.callId,
    name: init.name,
    arguments: typeof init.arguments === "string" ? init.arguments : toJSON(init.arguments),
  };
  if (init.id !== undefined) item.id = init.id;
  if (init.status !== undefined) item.status = init.status;
  return item;
}

// ---------------------------------------------------------------------------------------------------

const FUNCTION_NAME = /^[a-zA-Z0-9_-]+$/;

/** Rule P4: a function name matches `^[a-zA-Z0-9_-]+$` and has 1–64 characters. */
export function checkFunctionName(
  schema: "FunctionToolParam" | "FunctionCallItemParam",
  name: unknown,
): void {
  if (typeof name !== "string" || name.length === 0 || name.length > 64 || !FUNCTION_NAME.test(name)) {
    throw invalid(
      schema,
      "name",
      `P4: a function name must match ^[a-zA-Z0-9_-]+$ and have 1-64 characters (got ${JSON.stringify(name)})`,
    );
  }
}

function checkCallId(schema: "FunctionCallOutputItemParam" | "FunctionCallItemParam", callId: unknown): void {
  if (typeof callId !== "string" || callId.length === 0 || callId.length > 64) {
    throw invalid(schema, "call_id", `must be a string of 1-64 characters (got ${JSON.stringify(callId)})`);
  }
}

function withId<T extends { id?: string | null }>(item: T, options: MessageOptions): T {
  // An explicit id only: the server assigns one otherwise.
  if (options.id !== undefined) item.id = options.id;
  return item;
}

function inputContent<P extends UserContentPart>(
  schema: "UserMessageItemParam" | "SystemMessageItemParam" | "DeveloperMessageItemParam",
  content: string | ReadonlyArray<string | P>,
): string | Array<InputTextContentParam | P> {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) {
    throw invalid(schema, "content", "must be a string or an array of content parts");
  }
  return content.map((part) => (typeof part === "string" ? inputText(part) : part));
}

const CONTENT_TYPES = new Set(["input_text", "input_image", "input_file", "input_video"]);

function isContentParts(value: unknown): value is readonly FunctionOutputContentPart[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (part) =>
        typeof part === "object" &&
        part !== null &&
        CONTENT_TYPES.has((part as { type?: unknown }).type as string),
    )
  );
}

function toJSON(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw invalidJSON(error);
  }
  if (text === undefined) throw invalidJSON(undefined);
  return text;
}

function invalidJSON(cause: unknown) {
  const reason = cause instanceof Error ? `: ${cause.message}` : "";
  const error = invalid("FunctionCallOutputItemParam", "output", `could not be serialised to JSON${reason}`);
  if (cause !== undefined) Object.defineProperty(error, "cause", { value: cause, configurable: true });
  return error;
}
