/** The `Conversation` helper: lossless multi-turn bookkeeping over HTTP or a WebSocket session. */
export {
  Conversation,
  type ConversationDefaults,
  type ConversationMode,
  type ConversationOptions,
  type ConversationTransport,
  type ToolOutput,
} from "./conversation.js";
export type { ConversationInput, ConversationItem } from "./items.js";
export { toInputItem, toInputItems } from "./public-items.js";
