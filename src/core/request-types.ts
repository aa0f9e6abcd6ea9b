/**
 * The request the client sends: the specification's `CreateResponseBody`, widened to what real
 * providers take — messages without `type`, provider-prefixed items and tools (`acme:search`, rule X1),
 * the hosted tools OpenAI and others serve, `json_object`, and the fields OpenAI adds. The exact
 * specification types stay exported under their own names; the server kit validates exactly.
 *
 * Fields no type here knows about go through one typed escape hatch: declare them on
 * `ExtraRequestFields` (declaration merging), or pass them per call as the `extraBody` request option.
 */

import type {
  CreateResponseBody,
  FunctionToolParam,
  IncludeEnum,
  InputContent,
  ItemParam,
  JsonSchemaResponseFormatParam,
  OutputContent,
  PrefixedType,
  TextParam,
  TextResponseFormat,
  ToolChoiceParam,
} from "../spec/index.js";

/** A content part of a provider extension (`{ type: "acme:audio", ... }`). */
export interface ExtensionContentParam {
  type: PrefixedType;
  [field: string]: unknown;
}

/**
 * A message in the shape every provider (and the `openai` SDK, as `EasyInputMessage`) accepts: `type`
 * may be left out, and `content` is a string or a list of parts.
 */
export interface TypelessMessageParam {
  type?: "message";
  role: "user" | "assistant" | "system" | "developer";
  content: string | Array<InputContent | OutputContent | ExtensionContentParam>;
  id?: string | null;
  status?: string | null;
}

/** An input item of a provider extension (rule X1): `{ type: "acme:memory", ... }`. */
export interface ExtensionItemParam {
  type: PrefixedType;
  [field: string]: unknown;
}

/** Anything `input` may hold: the specification's items, type-less messages, extension items. */
export type RequestItem = ItemParam | TypelessMessageParam | ExtensionItemParam;

// ── Hosted tools (shapes as OpenAI documents them; other providers serve subsets) ───────────────────

export interface ApproximateLocation {
  type: "approximate";
  city?: string | null;
  country?: string | null;
  region?: string | null;
  timezone?: string | null;
}

export interface WebSearchToolParam {
  type: "web_search" | "web_search_2025_08_26" | "web_search_preview" | "web_search_preview_2025_03_11";
  search_context_size?: "low" | "medium" | "high";
  user_location?: ApproximateLocation | null;
  filters?: { allowed_domains?: string[] | null } | null;
}

export interface FileSearchToolParam {
  type: "file_search";
  vector_store_ids: string[];
  max_num_results?: number;
  filters?: Record<string, unknown> | null;
  ranking_options?: { ranker?: string; score_threshold?: number };
}

export interface CodeInterpreterToolParam {
  type: "code_interpreter";
  /** A container id, or `{ type: "auto" }` for a new one. */
  container: string | { type: "auto"; file_ids?: string[]; memory_limit?: string | null };
}

export interface McpToolParam {
  type: "mcp";
  server_label: string;
  server_url?: string;
  connector_id?: string;
  server_description?: string;
  authorization?: string;
  headers?: Record<string, string> | null;
  allowed_tools?: string[] | { tool_names?: string[]; read_only?: boolean } | null;
  require_approval?:
    | "always"
    | "never"
    | { always?: { tool_names?: string[] }; never?: { tool_names?: string[] } }
    | null;
}

export interface ImageGenerationToolParam {
  type: "image_generation";
  model?: string;
  size?: string;
  quality?: "low" | "medium" | "high" | "auto";
  background?: "transparent" | "opaque" | "auto";
  output_format?: "png" | "webp" | "jpeg";
  output_compression?: number;
  moderation?: "auto" | "low";
  partial_images?: number;
  input_fidelity?: "high" | "low" | null;
  input_image_mask?: { image_url?: string; file_id?: string };
}

/** A tool whose input is free text (or text under a grammar) rather than JSON arguments. */
export interface CustomToolParam {
  type: "custom";
  name: string;
  description?: string;
  format?: { type: "text" } | { type: "grammar"; syntax: "lark" | "regex"; definition: string };
}

export interface ShellToolParam {
  type: "shell" | "local_shell";
  environment?: Record<string, unknown> | null;
}

export interface ComputerUseToolParam {
  type: "computer_use_preview" | "computer";
  display_width?: number;
  display_height?: number;
  environment?: "windows" | "mac" | "linux" | "ubuntu" | "browser";
}

export interface ApplyPatchToolParam {
  type: "apply_patch";
}

/** A tool of a provider extension (rule X1): `{ type: "acme:search", ... }`. */
export interface ExtensionToolParam {
  type: PrefixedType;
  [field: string]: unknown;
}

export type HostedToolParam =
  | WebSearchToolParam
  | FileSearchToolParam
  | CodeInterpreterToolParam
  | McpToolParam
  | ImageGenerationToolParam
  | CustomToolParam
  | ShellToolParam
  | ComputerUseToolParam
  | ApplyPatchToolParam;

/** Any tool a request may carry. */
export type RequestTool = FunctionToolParam | HostedToolParam | ExtensionToolParam;

/** `text.format`: the specification's, plus `json_object` (JSON without a schema). */
export type RequestTextFormat = TextResponseFormat | JsonSchemaResponseFormatParam | { type: "json_object" };

export type RequestTextParam = Omit<TextParam, "format"> & { format?: RequestTextFormat | null };

/** `tool_choice`: the specification's, plus choosing a hosted tool by type (`{ type: "web_search" }`). */
export type RequestToolChoice =
  | ToolChoiceParam
  | { type: HostedToolParam["type"] | PrefixedType }
  | { type: "mcp"; server_label: string; name?: string | null }
  | { type: "custom"; name: string };

/** Fields OpenAI takes beyond the specification (typed so a typo in one is still an error). */
export interface OpenAIRequestFields {
  conversation?: string | { id: string } | null;
  prompt?: { id: string; version?: string | null; variables?: Record<string, unknown> | null } | null;
  prompt_cache_retention?: "in_memory" | "24h" | null;
  context_management?: Array<Record<string, unknown>> | null;
  user?: string;
}

/**
 * The typed escape hatch for fields no type here knows: add them by declaration merging,
 *
 *     declare module "openresponses" {
 *       interface ExtraRequestFields { acme_priority?: "low" | "high" }
 *     }
 *
 * and every request method accepts them, typed. (For a one-off, the `extraBody` request option.)
 */
// biome-ignore lint/suspicious/noEmptyInterface: empty on purpose, for declaration merging.
export interface ExtraRequestFields {}

/** What `create`, `stream`, `parse` and WebSocket turns accept. */
export type ResponseCreateParams = Omit<
  CreateResponseBody,
  "input" | "tools" | "text" | "tool_choice" | "include" | "stream"
> &
  OpenAIRequestFields &
  ExtraRequestFields & {
    // `| undefined` throughout, so that objects typed with optional fields (`CreateResponseParams`, a
    // caller's own) pass under `exactOptionalPropertyTypes`.
    input?: string | RequestItem[] | null | undefined;
    tools?: RequestTool[] | null | undefined;
    text?: RequestTextParam | null | undefined;
    tool_choice?: RequestToolChoice | null | undefined;
    include?: Array<IncludeEnum | (string & {})> | null | undefined;
    stream?: boolean | null | undefined;
  };
