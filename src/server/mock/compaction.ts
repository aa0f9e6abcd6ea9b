/**
 * The built-in model's compaction format. `encrypted_content` is opaque to clients (they round-trip it
 * untouched), so a readable-but-marked encoding is enough: a prefix that says whose it is and which
 * version, then base64url of a small JSON document. Anything without the prefix (another provider's
 * compaction) is ignored rather than misread.
 */

import type { Fact, Facts } from "./facts.js";

export const COMPACTION_PREFIX = "openresponses-mock.v1.";

export interface CompactionState {
  /** The user's facts at the time of compaction. */
  facts: Facts;
  /** Earlier user messages, oldest first, shortened; at most `MAX_TURNS` of them. */
  turns: string[];
}

interface EncodedState {
  v: 1;
  facts: Array<[string, Fact]>;
  turns: string[];
}

const MAX_TURNS = 20;
const MAX_TURN_CHARS = 200;

// btoa/atob rather than Buffer: the handler (and so this model) also runs on Deno, Bun and edge runtimes.
function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

export function encodeCompactionState(state: CompactionState): string {
  const encoded: EncodedState = {
    v: 1,
    facts: [...state.facts.entries()],
    turns: state.turns.slice(-MAX_TURNS).map((turn) => turn.slice(0, MAX_TURN_CHARS)),
  };
  return COMPACTION_PREFIX + toBase64Url(JSON.stringify(encoded));
}

function isFactEntry(entry: unknown): entry is [string, Fact] {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") return false;
  const fact = entry[1] as Partial<Fact> | null;
  return (
    typeof fact === "object" &&
    fact !== null &&
    typeof fact.label === "string" &&
    typeof fact.value === "string"
  );
}

/** Reads our own compaction content back; returns undefined for anything else, never throws. */
export function decodeCompactionState(content: string | undefined): CompactionState | undefined {
  if (!content?.startsWith(COMPACTION_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(
      fromBase64Url(content.slice(COMPACTION_PREFIX.length)),
    ) as Partial<EncodedState>;
    if (parsed.v !== 1) return undefined;
    const facts = Array.isArray(parsed.facts) ? parsed.facts.filter(isFactEntry) : [];
    const turns = Array.isArray(parsed.turns)
      ? parsed.turns.filter((turn): turn is string => typeof turn === "string")
      : [];
    return { facts: new Map(facts), turns };
  } catch {
    return undefined;
  }
}
