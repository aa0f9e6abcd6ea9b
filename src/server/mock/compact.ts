/**
 * `POST /responses/compact` for the built-in model: the whole context folds into one `compaction` item
 * carrying the user's facts and earlier messages. When that item comes back as input, the model reads it
 * (context.ts), so facts are still recalled after compaction.
 */

import type { ItemField } from "../../spec/index.js";
import type { CompactRequest } from "../model.js";
import { encodeCompactionState } from "./compaction.js";
import { stableHash } from "./hash.js";
import { readContext } from "./read-conversation.js";

export function compactContext(request: CompactRequest): ItemField[] {
  const body = request.body as unknown as Record<string, unknown>;
  const input: unknown[] =
    request.input.length > 0
      ? request.input
      : typeof body.input === "string"
        ? [{ type: "message", role: "user", content: body.input }]
        : [];
  const context = readContext(input);
  const turns = [...context.compactedTurns, ...context.userTurns.map((turn) => turn.text)];
  const encrypted = encodeCompactionState({ facts: context.facts, turns });
  const item: ItemField = {
    type: "compaction",
    id: `cmp_${stableHash(encrypted)}`,
    encrypted_content: encrypted,
    created_by: "openresponses-mock",
  };
  return [item];
}
