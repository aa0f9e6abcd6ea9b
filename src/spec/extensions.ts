/**
 * What the wire carries beyond the standard schemas (rules X1–X4): provider-prefixed items, content and
 * events (`acme:search_result`), and the un-prefixed hosted-tool items and events that real servers send
 * (`web_search_call`, `response.web_search_call.searching`). These types are members of the server-side
 * unions (`ItemField`, the content unions, `AnyStreamingEvent`), so such values need no casts, while
 * `switch (x.type)` still narrows the standard members: none of these `type`s can equal a standard one.
 */

/** A provider-prefixed type name (rule X1): `slug:name`, e.g. `acme:search_result`. */
export type PrefixedType = `${string}:${string}`;

/** Hosted-tool item types that some servers send without a provider prefix. */
export const HOSTED_TOOL_ITEM_TYPES = [
  "web_search_call",
  "file_search_call",
  "code_interpreter_call",
  "computer_call",
  "computer_call_output",
  "image_generation_call",
  "mcp_call",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
  "local_shell_call",
  "local_shell_call_output",
  "shell_call",
  "shell_call_output",
  "apply_patch_call",
  "apply_patch_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "tool_search_call",
] as const;

export type HostedToolItemType = (typeof HOSTED_TOOL_ITEM_TYPES)[number];

/**
 * Event types of hosted tools, e.g. `response.web_search_call.searching`,
 * `response.code_interpreter_call_code.delta`, `response.mcp_call_arguments.delta`.
 */
export type HostedToolEventType = `response.${HostedToolItemType}${"." | "_"}${string}`;

/**
 * An output item the specification does not define: a provider-prefixed item (X1) or a hosted-tool item.
 * Clients keep it as an opaque record (X2), with every field the server sent (X4).
 */
export interface ExtensionItem {
  type: PrefixedType | HostedToolItemType;
  /** Every item has an id (rule I2). */
  id: string;
  /** Rule I2 says every item has a status; some servers omit it on hosted-tool items. */
  status?: string;
  [key: string]: unknown;
}

/** A content part the specification does not define, e.g. `{ type: "acme:chart", ... }`. */
export interface ExtensionContent {
  type: PrefixedType;
  [key: string]: unknown;
}

/** A streaming event the specification does not define; it still carries `sequence_number` (rule X3). */
export interface ExtensionStreamingEvent {
  type: PrefixedType | HostedToolEventType;
  sequence_number: number;
  [key: string]: unknown;
}

/** Built on first use, so that importing this module runs nothing (it stays tree-shakable). */
let hostedItems: ReadonlySet<string> | undefined;
const EVENT_PREFIX = "response.";

/**
 * Whether a `type` (of an item, a content part or an event) is an extension: provider-prefixed (X1), or
 * a hosted-tool item or event name. Standard types never contain a colon, so the check is exact.
 */
export function isExtensionType(type: string): boolean {
  const colon = type.indexOf(":");
  if (colon > 0 && colon < type.length - 1) return true;
  hostedItems ??= new Set(HOSTED_TOOL_ITEM_TYPES);
  if (hostedItems.has(type)) return true;
  if (!type.startsWith(EVENT_PREFIX)) return false;
  // `response.<hosted item type>` followed by `.` or `_`: `response.web_search_call.searching`,
  // `response.code_interpreter_call_code.delta`.
  return HOSTED_TOOL_ITEM_TYPES.some((item) => {
    const next = type.charAt(EVENT_PREFIX.length + item.length);
    return type.startsWith(item, EVENT_PREFIX.length) && (next === "." || next === "_");
  });
}
