/**
 * One request, made ready for the engine before any event is sent: the chat history, the tools as
 * functions, the grammar of a structured output, the prompt as the model will read it (tokenized with
 * the chat format, tool documentation included), and the output budget that fits the context window.
 * Everything that can refuse the request happens here, so a refusal is an HTTP error rather than a
 * failed stream: content a text model cannot read, a prompt longer than the window (unless
 * `truncation: "auto"`), a schema or a conversation the engine cannot use.
 */

import type { ChatHistoryItem, ChatModelFunctions, LlamaGrammar, Token } from "node-llama-cpp";
import type { FunctionTool } from "../../spec/index.js";
import type { ModelRequest } from "../model.js";
import { toChatHistory } from "./history.js";
import { toGrammarSchema } from "./json-schema.js";
import type { LlamaRuntime } from "./load.js";
import type { LlamaCppModelOptions } from "./options.js";

export interface GenerationPlan {
  history: ChatHistoryItem[];
  /** The callable tools, when the model may call one. */
  functions: ChatModelFunctions | undefined;
  /** `tool_choice` requires a call: the answer starts in a function call. */
  forceCall: boolean;
  /** At most this many calls in one answer (`parallel_tool_calls: false` is 1). */
  maxCalls: number | undefined;
  /** Constrains the answer to the request's JSON schema (or to JSON); absent when tools may be called. */
  grammar: LlamaGrammar | undefined;
  /** The prompt's tokens, as the model reads them. */
  promptTokens: Token[];
  /** Tokens the answer may take: the request's budget, the server's cap, and the room left in the window. */
  maxTokens: number;
  /** Whether the prompt may be cut to fit (`truncation: "auto"`). */
  truncate: boolean;
}

/**
 * A request the model cannot serve as sent. Thrown before the model's first part, an error with a
 * `status` is the HTTP answer itself (the kit's `ModelError` contract): a 400 with this E1 body.
 */
export class Refusal extends Error {
  override readonly name = "Refusal";
  readonly status = 400;
  readonly type = "invalid_request";

  constructor(
    message: string,
    readonly param: string | null,
    readonly code: string,
  ) {
    super(message);
  }
}

const refuse = (message: string, param: string | null, code: string): Refusal =>
  new Refusal(message, param, code);

function toFunctions(tools: FunctionTool[]): ChatModelFunctions {
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const tool of tools) {
    functions[tool.name] = {
      ...(tool.description ? { description: tool.description } : {}),
      ...(tool.parameters ? { params: toGrammarSchema(tool.parameters) } : {}),
    };
  }
  return functions;
}

/** The `text.format` of a request as a grammar, or a refusal when the engine cannot build one. */
async function formatGrammar(
  runtime: LlamaRuntime,
  format: unknown,
): Promise<LlamaGrammar | Refusal | undefined> {
  const { type, schema } = (format ?? {}) as { type?: string; schema?: unknown };
  try {
    // The builder infers a TypeScript type from a literal schema; a request's schema is only known at run time.
    if (type === "json_schema")
      return await runtime.llama.createGrammarForJsonSchema(toGrammarSchema(schema) as never);
    if (type === "json_object") return await runtime.llama.getGrammarFor("json");
  } catch (error) {
    return refuse(
      `The engine cannot build a grammar for this schema: ${(error as Error).message}`,
      "text.format.schema",
      "unsupported_schema",
    );
  }
  return undefined;
}

export async function planGeneration(
  runtime: LlamaRuntime,
  request: ModelRequest,
  options: LlamaCppModelOptions,
): Promise<GenerationPlan | Refusal> {
  const { body } = request;
  const ownInput = Array.isArray(body.input) ? body.input.length : 1;
  const { history, unreadable } = toChatHistory(
    request.input,
    body.instructions,
    request.input.length - ownInput,
  );
  const first = unreadable[0];
  if (first) {
    return refuse(
      `This model reads text only: the ${first.type} at ${first.param} cannot be given to a llama.cpp model.`,
      first.param,
      "unsupported_content",
    );
  }

  const tools = request.toolChoice === "none" ? [] : (request.tools ?? []);
  const functions = tools.length > 0 ? toFunctions(tools) : undefined;
  let grammar: LlamaGrammar | undefined;
  if (!functions) {
    const built = await formatGrammar(runtime, body.text?.format);
    if (built instanceof Refusal) return built;
    grammar = built;
  }

  let promptTokens: Token[];
  try {
    const rendered = runtime.chatWrapper.generateContextState({
      chatHistory: withModelTurn(history),
      ...(functions ? { availableFunctions: functions } : {}),
      documentFunctionParams: true,
    });
    promptTokens = rendered.contextText.tokenize(runtime.model.tokenizer);
  } catch (error) {
    return refuse(
      `The model's chat template cannot render this conversation: ${(error as Error).message}`,
      "input",
      "unsupported_conversation",
    );
  }

  const window = runtime.info.contextSize;
  const truncate = body.truncation === "auto";
  const room = window - promptTokens.length;
  if (room < 1 && !truncate) {
    return refuse(
      `The input is ${promptTokens.length} tokens, and this model's context window is ${window} tokens ` +
        `(input and output together). Send less, or set truncation to "auto" to drop the oldest turns.`,
      "input",
      "context_length_exceeded",
    );
  }
  const budget = Math.min(
    body.max_output_tokens ?? Number.POSITIVE_INFINITY,
    options.maxOutputTokens ?? Number.POSITIVE_INFINITY,
  );
  // The engine writes a call's framing (prefix, the text between name and arguments, suffix) into the
  // window beside what the model generates: keep room for it, so a call never overflows the window.
  const framing = functions ? callFramingTokens(runtime) : 0;
  const maxCalls = body.parallel_tool_calls === false ? 1 : (body.max_tool_calls ?? undefined);
  return {
    history,
    functions,
    forceCall: functions !== undefined && request.toolChoice === "required",
    maxCalls,
    grammar,
    promptTokens,
    // Without truncation the answer must fit beside the prompt; with it, the engine drops old turns as
    // it goes, and one window's worth is the bound for a model that never stops.
    maxTokens: Math.max(1, Math.min(budget, truncate ? window : room - framing)),
    truncate,
  };
}

function callFramingTokens(runtime: LlamaRuntime): number {
  const { prefix, paramsPrefix, suffix } = runtime.chatWrapper.settings.functions.call;
  return runtime.module.LlamaText([prefix, paramsPrefix, suffix]).tokenize(runtime.model.tokenizer).length;
}

/** The history as the engine renders it for an answer: ending in a model turn (the one to continue). */
export function withModelTurn(history: ChatHistoryItem[]): ChatHistoryItem[] {
  return history.at(-1)?.type === "model" ? history : [...history, { type: "model", response: [] }];
}
