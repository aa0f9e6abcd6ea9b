/**
 * Resolves the context a model reads (rule P1): `previous.input + previous.output + input`, with string
 * input turned into a user message, packed compaction items (see `compactor.ts`) unpacked, and
 * `item_reference` items replaced by the item they name: from the earlier turns of the chain or this
 * input, else from any stored response (`ResponseStore.findItem`), as OpenAI's servers resolve them.
 * A `function_call_output` must answer a `function_call` of the context (rule P1): one that answers
 * none is refused, so a bad continuation fails instead of confusing the model (and, over WebSocket,
 * evicts the id it continued from, W5).
 */

import type { ItemParam } from "../../spec/index.js";
import type { ResponseStore } from "../model.js";
import { isPacked, PackTooLargeError, unpackWithin } from "./compactor.js";
import { type ContextItem, stringInputMessage } from "./context-item.js";
import { MAX_BODY_DEPTH, pathDeeperThan } from "./depth.js";
import { itemSize, itemsSize } from "./item-size.js";
import { invalidRequest, type KitError, kitError } from "./kit-error.js";

/**
 * The default bound on a resolved context, in JSON characters (about bytes): the previous response's
 * context and output, the input, each `item_reference` counted as the size of the item it names, and
 * each packed compaction item counted as the size it inflates to. Past it the request is a 400 before the
 * model runs, so a small request cannot make the server hold or walk gigabytes.
 */
export const DEFAULT_MAX_CONTEXT_BYTES = 64 * 1024 * 1024;

export type ContextResult = { ok: true; input: ContextItem[] } | { ok: false; error: KitError };

export interface ContextRequest {
  input?: string | ItemParam[] | null;
  previous_response_id?: string | null;
}

export interface ContextLimits {
  /** See `DEFAULT_MAX_CONTEXT_BYTES`. */
  maxContextBytes?: number;
}

/**
 * The context of `body`: at once (no promise) when it needs no store, a string `input` that continues
 * nothing (a new conversation's first turn, the common small request), else once the store has answered.
 */
export function resolveContext(
  body: ContextRequest,
  store: ResponseStore,
  limits: ContextLimits = {},
): ContextResult | Promise<ContextResult> {
  const input = body.input;
  if (typeof input !== "string" || typeof body.previous_response_id === "string") {
    return resolveWithStore(body, store, limits);
  }
  const maxBytes = limits.maxContextBytes ?? DEFAULT_MAX_CONTEXT_BYTES;
  if (input.length > maxBytes) return contextTooLarge(maxBytes, "input");
  return { ok: true, input: [stringInputMessage(input)] };
}

function contextTooLarge(maxBytes: number, param: string | null): ContextResult {
  return {
    ok: false,
    error: invalidRequest(
      `The resolved context (previous response, input, referenced items and unpacked compaction items) is larger than ${maxBytes} bytes.`,
      param,
      "context_too_large",
    ),
  };
}

async function resolveWithStore(
  body: ContextRequest,
  store: ResponseStore,
  limits: ContextLimits,
): Promise<ContextResult> {
  const maxBytes = limits.maxContextBytes ?? DEFAULT_MAX_CONTEXT_BYTES;
  let bytes = 0;
  const tooLarge = (param: string | null): ContextResult => contextTooLarge(maxBytes, param);
  const context: ContextItem[] = [];
  const previousId = body.previous_response_id;
  if (typeof previousId === "string") {
    let previous: Awaited<ReturnType<ResponseStore["get"]>>;
    try {
      previous = await store.get(previousId);
    } catch (error) {
      return { ok: false, error: storeFailed(error) };
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
    bytes += itemsSize(previous.input) + itemsSize(previous.response.output);
    if (bytes > maxBytes) return tooLarge("previous_response_id");
    context.push(...previous.input, ...previous.response.output);
  }

  const input = body.input;
  if (typeof input === "string") {
    if (bytes + input.length > maxBytes) return tooLarge("input");
    context.push(stringInputMessage(input));
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
      if (found instanceof StoreFailure) return { ok: false, error: storeFailed(found.error) };
      if (found === undefined) {
        return {
          ok: false,
          error: kitError(404, "not_found", `Item with id '${item.id}' not found in this conversation.`, {
            param: `input[${index}].id`,
            code: "item_not_found",
          }),
        };
      }
      // Remembered, so repeated references to a stored item cost one store lookup, not one each.
      earlier.set(item.id, found);
      // A reference counts as the item it names: 500 references to one 5 MB item are 2.5 GB of context.
      bytes += itemSize(found);
      if (bytes > maxBytes) return tooLarge(`input[${index}]`);
      context.push(found);
      continue;
    }
    if (!isPacked(item as { type?: unknown })) {
      bytes += itemSize(item);
      if (bytes > maxBytes) return tooLarge(`input[${index}]`);
      if (item.type === "function_call_output") outputs.push({ index, callId: item.call_id });
      if (typeof item.id === "string") earlier.set(item.id, item);
      context.push(item);
      continue;
    }
    let unpacked: { items: ContextItem[]; bytes: number };
    try {
      // Inflated against what is left of the budget, so the total over every packed item is bounded too.
      unpacked = await unpackWithin(
        (item as { encrypted_content: string }).encrypted_content,
        maxBytes - bytes,
      );
    } catch (error) {
      if (error instanceof PackTooLargeError) return tooLarge(`input[${index}].encrypted_content`);
      return badPack(index);
    }
    try {
      // The pack is only gzip + base64, so anyone can craft one: hold it to the request body's depth bound.
      if (pathDeeperThan(unpacked.items, MAX_BODY_DEPTH) !== null) throw new TypeError("nested too deep");
    } catch {
      return badPack(index);
    }
    bytes += unpacked.bytes;
    context.push(...unpacked.items);
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

class StoreFailure {
  constructor(readonly error: unknown) {}
}

async function findStoredItem(
  store: ResponseStore,
  id: string,
): Promise<ContextItem | undefined | StoreFailure> {
  if (store.findItem === undefined) return undefined;
  try {
    return (await store.findItem(id)) ?? undefined;
  } catch (error) {
    return new StoreFailure(error);
  }
}

/** A store that threw; a shared store that is down (see `kv-store.ts`) says so, so the turn can be retried. */
function storeFailed(error: unknown): KitError {
  const unavailable = (error as { code?: unknown } | null)?.code === "store_unavailable";
  const message = unavailable
    ? "The response store is unavailable; try again shortly."
    : "The response store failed.";
  return kitError(500, "server_error", message, { code: unavailable ? "store_unavailable" : "store_error" });
}

function badPack(index: number): ContextResult {
  return {
    ok: false,
    error: invalidRequest(
      "The compaction item's encrypted_content is not valid; send it back exactly as it was returned.",
      `input[${index}].encrypted_content`,
      "invalid_encrypted_content",
    ),
  };
}
