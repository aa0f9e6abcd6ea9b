/**
 * P1: a JSON answer's bytes, made in shared blocks, are exactly `TextEncoder`'s, and stay as they were
 * while later answers fill the same and further blocks (the default store keeps them, serve() writes them).
 */

import { describe, expect, it } from "vitest";
import { BLOCK_BYTES, MAX_BLOCK_TEXT, utf8Bytes } from "../../../src/server/kit/utf8-blocks.js";

const encoder = new TextEncoder();

describe("utf8Bytes", () => {
  it("P1: gives TextEncoder's bytes for any text: empty, ASCII, multi-byte, astral, lone surrogates, at and past the block limit", () => {
    const texts = [
      "",
      "plain ASCII",
      'héllo \u2028 wörld "quoted"',
      "🙂 astral 𝄞",
      "lone \ud800 and \udc00 surrogates",
      "x".repeat(MAX_BLOCK_TEXT),
      "x".repeat(MAX_BLOCK_TEXT + 1),
      "€".repeat(MAX_BLOCK_TEXT),
      "€".repeat(MAX_BLOCK_TEXT + 1),
    ];
    for (const text of texts) expect(utf8Bytes(text)).toEqual(encoder.encode(text));
  });

  it("P1: earlier bytes are never written over while later texts fill this block and the next ones", () => {
    const kept: Array<{ text: string; bytes: Uint8Array }> = [];
    // Sizes that leave odd ends in each block, and three-byte characters that may not fit in one.
    for (let i = 0; i < 400; i++) {
      const text = `${"€".repeat(i % 37)}${"a".repeat((i * 53) % 700)}#${i}`;
      kept.push({ text, bytes: utf8Bytes(text) });
    }
    for (const { text, bytes } of kept) expect(new TextDecoder().decode(bytes)).toBe(text);
    const buffers = new Set(kept.map(({ bytes }) => bytes.buffer));
    // Shared: a few hundred small texts take a few dozen blocks, not one buffer each.
    expect(buffers.size).toBeLessThan(kept.length / 4);
    for (const buffer of buffers) expect(buffer.byteLength).toBe(BLOCK_BYTES);
  });

  it("P1: a text longer than the block limit gets a buffer of its own", () => {
    const bytes = utf8Bytes("y".repeat(MAX_BLOCK_TEXT + 1));
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(MAX_BLOCK_TEXT + 1);
  });
});
