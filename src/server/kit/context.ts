/**
 * Resolves the context a model reads (rule P1): `previous.input + previous.output + input`, with string
 * input turned into a user message and packed compaction items (see `compactor.ts`) unpacked.
 */

import type { ItemField, ItemParam } from "../../spec/index.js";
import type { ResponseStore } from "../model.js";
import { isPacked, unpackItems } from "./compactor.js";
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
      return {
        ok: false,
        error: kitError(500, "server_error", "The response store failed.", { code: "store_error" }),
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
  for (const [index, item] of (input ?? []).entries()) {
    if (!isPacked(item as { type?: unknown })) {
      context.push(item);
      continue;
    }
    try {
      context.push(...(await unpackItems((item as { encrypted_content: string }).encrypted_content)));
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
