/**
 * Resolves the context a model reads (rule P1): `previous.input + previous.output + input`, with string
 * input turned into a user message, packed compaction items (see `compactor.ts`) unpacked, and
 * `item_reference` items replaced by the item they name from the earlier turns of the chain.
 */

import type { ItemField, ItemParam } from "../../spec/index.js";
import type { ResponseStore } from "../model.js";
import { isPacked, unpackItems } from "./compactor.js";
import { MAX_BODY_DEPTH, pathDeeperThan } from "./depth.js";
import { invalidRequest, type KitError, kitError } from "./spec-error.js";

export type ContextItem = ItemParam | ItemField;

export type ContextResult = { ok: true; input: ContextItem[] } | { ok: false; error: KitError };

export interface ContextRequest {
  input?: string | ItemParam[] | null;
  previous_response_id?: string | null;
}

export async function resolveContext(body: ContextRequest, store: ResponseStore): Promise<ContextResult> {
  const context: ContextItem[] = [];
  const previousId = body.previous_response_id;
  if (typeof previousId === "string") {
    let previous: Awaited<ReturnType<ResponseStore["get"]>>;
    try {
      previous = await store.get(previousId);
    } catch (error) {
      // A shared store that is down (see `kv-store.ts`) says so: the turn can be retried once it is back.
      const unavailable = (error as { code?: unknown } | null)?.code === "store_unavailable";
      const message = unavailable
        ? "The response store is unavailable; try again shortly."
        : "The response store failed.";
      return {
        ok: false,
        error: kitError(500, "server_error", message, {
          code: unavailable ? "store_unavailable" : "store_error",
        }),
      };
    }
    if (previous === undefined) {
      return {
        ok: false,
        error: kitError(404, "not_found", `Previous response with id '${previousId}' not found.`, {
          param: "previous_response_id",
          code: "previous_response_not_found",
        }),
      };
    }
    context.push(...previous.input, ...previous.response.output);
  }

  const input = body.input;
  if (typeof input === "string") {
    context.push({ type: "message", role: "user", content: input });
    return { ok: true, input: context };
  }
  const earlier = new Map<string, ContextItem>();
  for (const item of context) {
    if (typeof item.id === "string") earlier.set(item.id, item);
  }
  for (const [index, item] of (input ?? []).entries()) {
    if (item.type === "item_reference" || item.type === undefined || item.type === null) {
      const found = earlier.get(item.id);
      if (found === undefined) {
        return {
          ok: false,
          error: kitError(404, "not_found", `Item with id '${item.id}' not found in this conversation.`, {
            param: `input[${index}].id`,
            code: "item_not_found",
          }),
        };
      }
      context.push(found);
      continue;
    }
    if (!isPacked(item as { type?: unknown })) {
      context.push(item);
      continue;
    }
    try {
      const unpacked = await unpackItems((item as { encrypted_content: string }).encrypted_content);
      // The pack is only gzip + base64, so anyone can craft one: hold it to the request body's depth bound.
      if (pathDeeperThan(unpacked, MAX_BODY_DEPTH) !== null) throw new TypeError("nested too deep");
      context.push(...unpacked);
    } catch {
      return {
        ok: false,
        error: invalidRequest(
          "The compaction item's encrypted_content is not valid; send it back exactly as it was returned.",
          `input[${index}].encrypted_content`,
          "invalid_encrypted_content",
        ),
      };
    }
  }
  return { ok: true, input: context };
}
