/**
 * Provider state that must come back on the next turn (Anthropic thinking signatures and redacted
 * thinking, Gemini thought signatures) travels in a reasoning item's `encrypted_content`, the one field
 * clients round-trip untouched (rule I5). A client sending a reasoning item back cannot send its
 * `content` (the request schema forbids it), so the state holds everything the provider needs: the
 * thinking text too, not only the signature.
 *
 * The value is tagged with the provider that made it: a bridge only replays its own state, so a
 * conversation routed from one provider to another never sends one provider's signature to the other.
 */

import { isRecord, type JsonRecord } from "../../internal/guards.js";

export type StateProvider = "anthropic" | "gemini";

const VERSION = "v1";

/** `encrypted_content` for a provider's state: `<provider>.v1:` followed by the state as JSON. */
export function encodeProviderState(provider: StateProvider, state: JsonRecord): string {
  return `${provider}.${VERSION}:${JSON.stringify(state)}`;
}

/**
 * The state a bridge wrote for `provider`; `undefined` for anything else (another provider's state, a
 * client's own value), `null` for a value with this provider's tag that no longer parses (it was altered).
 */
export function decodeProviderState(
  provider: StateProvider,
  encrypted: unknown,
): JsonRecord | null | undefined {
  const prefix = `${provider}.${VERSION}:`;
  if (typeof encrypted !== "string" || !encrypted.startsWith(prefix)) return undefined;
  try {
    const state: unknown = JSON.parse(encrypted.slice(prefix.length));
    return isRecord(state) ? state : null;
  } catch {
    return null;
  }
}
