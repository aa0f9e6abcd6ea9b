/**
 * The Chat Completions wire format, as much of it as the bridge sends and reads, with the field names of
 * OpenAI's API reference (and of the `openai` SDK's chat types, which a type-level test holds these to).
 * Written out here because the package takes no run-time dependency on any provider's SDK.
 */

export type ChatContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: "auto" | "low" | "high" } }
  | { type: "file"; file: { file_data?: string; filename?: string } };

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "developer"; content: string }
  | { role: "user"; content: string | ChatContentPart[] }
  | { role: "assistant"; content?: string | null; refusal?: string | null; tool_calls?: ChatToolCall[] }
  | { role: "tool"; content: string; tool_call_id: string };

export interface ChatFunctionTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ChatToolChoice = "none" | "auto" | "required" | { type: "function"; function: { name: string } };

export type ChatResponseFormat =
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: {
        name: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean | null;
      };
    };

/** The request body (`POST {baseURL}/chat/completions`), always streaming. */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream: true;
  stream_options: { include_usage: boolean };
  tools?: ChatFunctionTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ChatResponseFormat;
  temperature?: number;
  top_p?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  reasoning_effort?: "none" | "minimal" | "low" | "medium" | "high" | "xhigh";
  verbosity?: "low" | "medium" | "high";
  service_tier?: "auto" | "default" | "flex" | "priority";
  prompt_cache_key?: string;
  safety_identifier?: string;
  user?: string;
}

/** Usage as Chat Completions reports it (`CompletionUsage`). */
export interface ChatUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}
