/**
 * Resolves the context a model reads (rule P1): `previous.input + previous.output + input`, with string
 * input turned into a user message, packed compaction items (see `compactor.ts`) unpacked, and
 * `item_reference` items replaced by the item they name: from the earlier turns of the chain or this
 * input, else from any stored response (`ResponseStore.findItem`), as OpenAI's servers resolve them.
 * A `function_call_output` must answer a `function_call` of the context (rule P1): one that answers
 * none is refused, so a bad continuation fails instead of confusing the model (and, over WebSocket,
 * evicts the id it continued from, W5).
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
    } catch {
      return { ok: false, error: storeFailed() };
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
  const outputs: Array<{ index: number; callId: unknown }> = [];
  for (const [index, item] of (input ?? []).entries()) {
    if (item.type === "item_reference" || item.type === undefined || item.type === null) {
      const found = earlier.get(item.id) ?? (await findStoredItem(store, item.id));
      if (found === "store_failed") return { ok: false, error: storeFailed() };
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
      if (item.type === "function_call_output") outputs.push({ index, callId: item.call_id });
      if (typeof item.id === "string") earlier.set(item.id, item);
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
  const unanswered = unmatchedOutput(context, outputs);
  if (unanswered !== null) return { ok: false, error: unanswered };
  return { ok: true, input: context };
}

/** The first `function_call_output` of this input whose `call_id` no `function_call` of the context has. */
function unmatchedOutput(
  context: ContextItem[],
  outputs: Array<{ index: number; callId: unknown }>,
): KitError | null {
  if (outputs.length === 0) return null;
  const calls = new Set<unknown>();
  for (const item of context) if (item.type === "function_call") calls.add(item.call_id);
  const unmatched = outputs.find((output) => !calls.has(output.callId));
  if (unmatched === undefined) return null;
  return invalidRequest(
    `input[${unmatched.index}] is a function_call_output whose call_id ${JSON.stringify(unmatched.callId)} ` +
      "matches no function_call in this conversation (the previous response and this input). Send the " +
      "function_call it answers in `input`, or continue with `previous_response_id` from the response " +
      "that made the call.",
    `input[${unmatched.index}].call_id`,
    "function_call_not_found",
  );
}

async function findStoredItem(
  store: ResponseStore,
  id: string,
): Promise<ContextItem | undefined | "store_failed"> {
  if (store.findItem === undefined) return undefined;
  try {
    return (await store.findItem(id)) ?? undefined;
  } catch {
    return "store_failed";
  }
}

function storeFailed(): KitError {
  return kitError(500, "server_error", "The response store failed.", { code: "store_error" });
}
