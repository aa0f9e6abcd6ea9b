/**
 * The one item type a resolved context is made of: what a request sends (`ItemParam`) and what a
 * response produced (`ItemField`). Its own module so that context resolution and the compactor, which
 * both speak it, need not import each other.
 */

import type { ItemField, ItemParam } from "../../spec/index.js";

/** One item of a resolved context, as the model is given it. */
export type ContextItem = ItemParam | ItemField;
