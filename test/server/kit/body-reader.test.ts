/**
 * E1: the body reader (`body-reader.ts`) takes a read that answers at once and a read that answers with
 * a promise alike, whatever realm the promise comes from: edge-runtime's request bodies hand out
 * promises of the host's realm, which are not `instanceof Promise` in the handler's.
 */

import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { type ChunkRead, type ChunkReader, readJsonChunks } from "../../../src/server/kit/body-reader.js";

const ForeignPromise = runInNewContext("Promise") as PromiseConstructor;
const encoder = new TextEncoder();

/** A reader of `parts`, each read answered by `answer`. */
function readerOf(parts: string[], answer: (read: ChunkRead) => ChunkRead | Promise<ChunkRead>): ChunkReader {
  const chunks = parts.map((part) => encoder.encode(part));
  return {
    read: () => {
      const chunk = chunks.shift();
      return answer(chunk === undefined ? { done: true } : { done: false, value: chunk });
    },
    cancel: async () => {},
  };
}

const PARTS = ['{"model":"m",', '"input":"hé', 'llo"}'];
const BODY = { model: "m", input: "héllo" };

describe("body reader (E1)", () => {
  it("reads a body whose reads answer with another realm's promises", async () => {
    const foreign = ForeignPromise.resolve({ done: true });
    expect(foreign instanceof Promise).toBe(false);
    const result = await readJsonChunks(
      null,
      () => readerOf(PARTS, (read) => ForeignPromise.resolve(read)),
      1024,
    );
    expect(result).toMatchObject({ ok: true, json: BODY });
  });

  it("reads a body whose reads answer at once, or with this realm's promises", async () => {
    for (const answer of [(read: ChunkRead) => read, (read: ChunkRead) => Promise.resolve(read)]) {
      const result = await readJsonChunks(null, () => readerOf(PARTS, answer), 1024);
      expect(result).toMatchObject({ ok: true, json: BODY });
      if (result.ok) expect(new TextDecoder().decode(result.bytes)).toBe(PARTS.join(""));
    }
  });

  it("cuts a foreign-promise body at the size limit with a 413", async () => {
    const result = await readJsonChunks(
      null,
      () => readerOf(PARTS, (read) => ForeignPromise.resolve(read)),
      10,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.status).toBe(413);
  });
});
