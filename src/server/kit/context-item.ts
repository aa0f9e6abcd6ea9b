/**
 * The one item type a resolved context is made of: what a request sends (`ItemParam`) and what a
 * response produced (`ItemField`). Its own module so that context resolution and the compactor, which
 * both speak it, need not import each other.
 */

import type { ItemField, ItemParam } from "../../spec/index.js";

/** One item of a resolved context, as the model is given it. */
export type ContextItem = ItemParam | ItemField;

/**
 * The item a string `input` stands for: the user's message, with its text as `content`. Made here
 * alone, so that the context's resolution and the default store (which keeps such a context as its
 * text, and tells it by these keys in this order) agree on it.
 */
export function stringInputMessage(content: string): ContextItem {
  return { type: "message", role: "user", content };
}
