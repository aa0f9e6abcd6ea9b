/**
 * The package's `toInputItem` and `toInputItems`: the conversions of `items.ts`, exported through
 * functions of their own rather than re-exported.
 *
 * Why: the code loaded on demand (`src/on-demand.ts`: the tool loop, a `Conversation`'s turns, a
 * WebSocket session's history) uses `items.ts`, and esbuild puts a file that code uses in an app's
 * up-front chunk as soon as the package's entry re-exports anything of it, whether the app uses that or
 * not. Exported from here, `items.ts` reaches an app's up-front code only when the app converts items
 * itself (or holds a `Conversation`), and is otherwise loaded with the features that need it (1.1 KB
 * minified). `test/client/bundle-size.test.ts` checks that it stays out.
 */

import type { JsonRecord } from "../internal/guards.js";
import type { ItemField } from "../spec/index.js";
import { type ConversationItem, toInputItem as inputItem, toInputItems as inputItems } from "./items.js";

/**
 * Converts one output item (or any item) into its request form.
 *
 * - `reasoning`: raw `content` is dropped (the `ReasoningItemParam` schema allows only null there);
 *   `summary`, `encrypted_content` and `id` are kept untouched (rule I5).
 * - `message`: `phase` and `status` kept; `output_text` parts lose `logprobs` only.
 * - `function_call`, `function_call_output`, `compaction`, `item_reference`: kept as they came.
 * - Unknown and provider-prefixed items (rule X2): kept exactly as they came.
 */
export function toInputItem(item: ItemField | ConversationItem | JsonRecord): ConversationItem {
  return inputItem(item);
}

/** Converts a response's `output` array into the items a later request sends back. */
export function toInputItems(
  output: ReadonlyArray<ItemField | ConversationItem | JsonRecord>,
): ConversationItem[] {
  return inputItems(output);
}
