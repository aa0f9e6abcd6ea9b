/**
 * The generic compactor, used on `POST /responses/compact` when neither the handler options nor the model
 * bring their own. Without a model to summarise, it packs the whole context into one `compaction` item
 * whose `encrypted_content` is the gzip-compressed, base64-encoded JSON of the items. When that item
 * comes back as input, the kit unpacks it before the model sees the context, so any model works with it.
 *
 * The packed form is opaque to clients (rule I5 style: round-trip it untouched) and marked with a
 * prefix, so compaction items made by a model's own compactor pass through to that model unchanged.
 */

import type { Compactor } from "../model.js";
import { concatBytes } from "./body-reader.js";
import type { ContextItem } from "./context-item.js";
import type { IdGenerator } from "./ids.js";

export const PACKED_PREFIX = "orc1:";

/** Decompressed packs larger than this are refused, so a crafted item cannot exhaust memory. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

export function genericCompactor(ids: IdGenerator): Compactor {
  return async ({ input }) => [
    { type: "compaction", id: ids("compaction"), encrypted_content: await packItems(input) },
  ];
}

export async function packItems(items: ContextItem[]): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(items));
  const zipped = await collect(new Blob([json]).stream().pipeThrough(new CompressionStream("gzip")));
  return PACKED_PREFIX + toBase64(zipped);
}

export function isPacked(item: { type?: unknown; encrypted_content?: unknown }): boolean {
  return (
    item.type === "compaction" &&
    typeof item.encrypted_content === "string" &&
    item.encrypted_content.startsWith(PACKED_PREFIX)
  );
}

/** Thrown by `unpackItems` when a pack inflates past its limit (the decompression stops there). */
export class PackTooLargeError extends TypeError {
  constructor() {
    super("the packed context is too large");
    this.name = "PackTooLargeError";
  }
}

/** The items a packed compaction item holds; throws a `TypeError` when the content is not a valid pack. */
export async function unpackItems(encrypted: string): Promise<ContextItem[]> {
  return (await unpackWithin(encrypted, MAX_UNPACKED_BYTES)).items;
}

/**
 * The items a packed compaction item holds and its inflated size; throws `PackTooLargeError` as soon as
 * it inflates past `limit` bytes (and never past 64 MiB), a `TypeError` when it is not a valid pack.
 */
export async function unpackWithin(
  encrypted: string,
  limit: number,
): Promise<{ items: ContextItem[]; bytes: number }> {
  const zipped = fromBase64(encrypted.slice(PACKED_PREFIX.length));
  const stream = new Blob([zipped]).stream().pipeThrough(new DecompressionStream("gzip"));
  const bytes = await collect(stream, Math.min(limit, MAX_UNPACKED_BYTES));
  const items: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (!Array.isArray(items) || !items.every((item) => typeof item === "object" && item !== null)) {
    throw new TypeError("the packed context is not a list of items");
  }
  return { items: items as ContextItem[], bytes: bytes.byteLength };
}

async function collect(
  stream: ReadableStream<Uint8Array>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PackTooLargeError();
    }
    chunks.push(value);
  }
  return concatBytes(chunks, size);
}

// btoa/atob work on binary strings; chunking keeps String.fromCharCode within argument limits.
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
