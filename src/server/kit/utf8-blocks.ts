/**
 * The UTF-8 bytes of a small JSON answer, written into a shared block rather than a buffer of their own.
 * `TextEncoder.encode` makes a new `ArrayBuffer` for every text: memory outside the JavaScript heap, and
 * a buffer object that the garbage collector tracks one by one (the default store keeps a thousand
 * answers' bytes, so each of them outlives young-generation collections). Small texts are encoded into
 * the free end of a block instead, and each gets a view over its own bytes; a block is filled once, never
 * written again where a view points, and freed when no view of it is left, as Node's `Buffer` pool is.
 * Portable: `encodeInto` is web-standard.
 *
 * What a view may keep alive beyond its own bytes is one block: a text kept long after its neighbours
 * were dropped holds `BLOCK_BYTES` at most.
 */

const encoder = new TextEncoder();

/**
 * The size of a block. Making a block costs a few microseconds whatever its size (the buffer, its
 * tracking by the garbage collector): an 8 KiB one, about five answers of the bench's 1.4 KB, cost
 * 1.3 µs per answer in a loop, a 32 KiB one 0.35-0.45 µs. What a kept answer may hold beyond its bytes
 * grows with it: at most 32 MiB for the default store's thousand entries, each alone in its block.
 */
export const BLOCK_BYTES = 32 * 1024;
/**
 * The longest text (in UTF-16 code units) encoded into a block: its bytes (at most three per unit) fit
 * in an empty block, and a block holds a few of them. A longer text gets a buffer of its own.
 */
export const MAX_BLOCK_TEXT = 2048;

let block = new Uint8Array(BLOCK_BYTES);
let used = 0;

/** `text`'s UTF-8 bytes, in a shared block when it is small. The bytes are never written again. */
export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
  if (text.length > MAX_BLOCK_TEXT) return encoder.encode(text);
  // A text may fit in the rest of the block even when it could need more: try, then take a fresh one.
  let end = BLOCK_BYTES - used < text.length ? -1 : encodeAt(used, text);
  if (end === -1) {
    block = new Uint8Array(BLOCK_BYTES);
    used = 0;
    end = encodeAt(0, text);
  }
  const bytes = block.subarray(used, end);
  used = end;
  return bytes;
}

/**
 * Encodes `text` into the block from `start`: the end of its bytes, or -1 when they do not fit (what was
 * written past `start` then belongs to no view, and the next text writes over it).
 */
function encodeAt(start: number, text: string): number {
  const { read, written } = encoder.encodeInto(text, start === 0 ? block : block.subarray(start));
  return read < text.length ? -1 : start + written;
}
