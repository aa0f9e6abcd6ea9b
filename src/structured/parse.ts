/**
 * `responses.parse()`'s second half: reads a response back through the schemas of its request — the
 * `text.format` into `output_parsed` (and `parsed` on each `output_text` part), each function call of a
 * schema-built tool into `parsed_arguments`. The additions are non-enumerable, like `output_text`, so the
 * response still serialises to exactly what the server sent. The client imports it (through
 * `src/on-demand.ts`) when a parse request's answer arrives, so a bundle that never parses does not
 * carry it.
 */

import { isRecord } from "../internal/guards.js";
import type {
  FunctionCall,
  Message,
  OutputItem,
  OutputTextContent,
  ResponseResource,
} from "../spec/index.js";
import type { RunnableTool } from "../tools/runnable.js";
import { isRunnableTool } from "../tools/runnable.js";
import { ResponseParseError } from "./errors.js";
import type { ParseableFunctionTool, ParseableTextFormat } from "./format.js";

/** What a parse request may carry in `tools`: plain definitions, schema-built ones, runnable tools. */
export type ParseTool = { readonly type: string } | RunnableTool;

/** The `T` of a body whose `text.format` is a `ParseableTextFormat<T>` (else `null`). */
export type ParsedFormatOf<Body> = Body extends { readonly text?: infer Text }
  ? NonNullable<Text> extends { readonly format?: infer Format }
    ? NonNullable<Format> extends ParseableTextFormat<infer T>
      ? T
      : null
    : null
  : null;

/** One function call as `parse()` returns it, typed from the tool it calls. */
export type ParsedFunctionCallOf<Tool> =
  Tool extends ParseableFunctionTool<infer Name, infer Args>
    ? FunctionCall & { readonly name: Name; readonly parsed_arguments: Args }
    : Tool extends RunnableTool<infer Args>
      ? FunctionCall & { readonly parsed_arguments: Args }
      : FunctionCall & { readonly parsed_arguments: null };

/** The function calls of a parse request's response, from its `tools` (untyped without tools). */
export type ParsedFunctionCall<Body> = Body extends { readonly tools?: infer Tools }
  ? NonNullable<Tools> extends ReadonlyArray<infer Tool>
    ? ParsedFunctionCallOf<Tool>
    : FunctionCall & { readonly parsed_arguments: unknown }
  : FunctionCall & { readonly parsed_arguments: unknown };

/** An `output_text` part with its parsed value. */
export type ParsedOutputText<T> = OutputTextContent & { readonly parsed: T | null };

/** An assistant message whose `output_text` parts carry `parsed`. */
export type ParsedOutputMessage<T> = Omit<Message, "content"> & {
  content: Array<Exclude<Message["content"][number], OutputTextContent> | ParsedOutputText<T>>;
};

export type ParsedOutputItem<T, Call> =
  | Exclude<OutputItem, Message | FunctionCall>
  | ParsedOutputMessage<T>
  | Call;

/**
 * What `responses.parse(body)` resolves to: the response (with `output_text` and `_request_id`), plus
 * `output_parsed` — the first `output_text` read through the format's schema, `null` when the model
 * answered none (a refusal, say) — and `parsed_arguments` on function calls.
 */
export type ParsedResponse<T, Call = FunctionCall & { readonly parsed_arguments: unknown }> = Omit<
  ResponseResource,
  "output"
> & {
  output: Array<ParsedOutputItem<T, Call>>;
  readonly output_text: string;
  readonly _request_id: string | null;
  readonly output_parsed: T | null;
};

/** `ParsedResponse` for a given request body. */
export type ParsedResponseOf<Body> = ParsedResponse<ParsedFormatOf<Body>, ParsedFunctionCall<Body>>;

type Parser = (text: string) => unknown;

/** Reads `response` through the body's format and tools, in place; rejects with `ResponseParseError`. */
export async function parseResponse<R extends ResponseResource>(
  response: R,
  body: { text?: unknown; tools?: unknown },
): Promise<R> {
  const formatParser = parserOf((body.text as { format?: unknown } | null | undefined)?.format);
  const toolParsers = toolParsersOf(body.tools);
  let parsed: unknown = null;
  let found = false;
  try {
    for (const item of Array.isArray(response.output) ? (response.output as unknown[]) : []) {
      if (!isRecord(item)) continue;
      if (item.type === "message" && Array.isArray(item.content)) {
        for (const part of item.content as unknown[]) {
          if (!isRecord(part) || part.type !== "output_text" || typeof part.text !== "string") continue;
          const value = formatParser ? await formatParser(part.text) : null;
          hidden(part, "parsed", value);
          if (!found && formatParser) {
            parsed = value;
            found = true;
          }
        }
      } else if (item.type === "function_call" && typeof item.name === "string") {
        const parser = toolParsers.get(item.name);
        const args = typeof item.arguments === "string" ? item.arguments : "";
        hidden(item, "parsed_arguments", parser ? await parser(args) : null);
      }
    }
  } catch (error) {
    if (error instanceof ResponseParseError) error.response = response;
    throw error;
  }
  hidden(response, "output_parsed", parsed);
  return response;
}

function parserOf(format: unknown): Parser | null {
  const parse = isRecord(format) ? format.$parseRaw : undefined;
  return typeof parse === "function" ? (parse as Parser) : null;
}

function toolParsersOf(tools: unknown): Map<string, Parser> {
  const parsers = new Map<string, Parser>();
  if (!Array.isArray(tools)) return parsers;
  for (const tool of tools) {
    if (isRunnableTool(tool)) parsers.set(tool.name, (text) => tool.parse(text));
    else if (isRecord(tool) && typeof tool.name === "string") {
      const parser = parserOf(tool);
      if (parser) parsers.set(tool.name, parser);
    }
  }
  return parsers;
}

function hidden(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: false, configurable: true, writable: true });
}
