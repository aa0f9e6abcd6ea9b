/**
 * The approximate size of a context item: its JSON length, computed once per item object and remembered.
 * A context may hold the same object many times (500 `item_reference`s to one stored item, or every turn
 * of a chain repeating the earlier turns), so sizing it costs one pass over each distinct item, never one
 * pass per occurrence: the size check of a request is O(request), not O(context × references).
 */

const sizes = new WeakMap<object, number>();

/**
 * Items whose JSON is shorter than this are not remembered: serialising one again costs about what the
 * memo's lookup does, and each occurrence of it in a request takes request bytes of its own, so sizing
 * them per occurrence stays O(request). A turn's small items (a string `input`'s message) then cost no
 * entry in the memo, which the garbage collector would have to clear when the item goes.
 */
const REMEMBERED_FROM = 256;

/** JSON length of `item` (characters, close to bytes); Infinity when it cannot be serialised (a cycle). */
export function itemSize(item: unknown): number {
  if (typeof item !== "object" || item === null) return jsonLength(item);
  const known = sizes.get(item);
  if (known !== undefined) return known;
  const size = jsonLength(item);
  if (size >= REMEMBERED_FROM) sizes.set(item, size);
  return size;
}

/** The JSON length of a list of items (`[`, items, commas, `]`), each distinct item serialised at most once. */
export function itemsSize(items: readonly unknown[]): number {
  let total = items.length > 0 ? 1 + items.length : 2;
  for (const item of items) total += itemSize(item);
  return total;
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
