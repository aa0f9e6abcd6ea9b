/**
 * Identifiers the kit gives to responses and items. Prefixes follow the conventions clients already know
 * (`resp_`, `msg_`, `fc_`, `call_`, `rs_`, `cmp_`), so ids are readable in logs.
 */

export type IdKind =
  | "response"
  | "message"
  | "function_call"
  | "call"
  | "reasoning"
  | "compaction"
  | "item"
  | "compact";

/** Returns a fresh id for the given kind; replace it to get deterministic ids in tests. */
export type IdGenerator = (kind: IdKind) => string;

const PREFIX: Record<IdKind, string> = {
  response: "resp_",
  message: "msg_",
  function_call: "fc_",
  call: "call_",
  reasoning: "rs_",
  compaction: "cmp_",
  item: "item_",
  compact: "resp_",
};

/** The default generator: a prefix plus the 32 hex digits of a random (version 4) UUID. */
export const randomIds: IdGenerator = (kind) => PREFIX[kind] + randomHex();

/** The character codes of each byte's two hex digits. */
const HIGH = new Uint8Array(256);
const LOW = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
  const hex = byte.toString(16).padStart(2, "0");
  HIGH[byte] = hex.charCodeAt(0);
  LOW[byte] = hex.charCodeAt(1);
}
/** Random bytes for 256 ids, drawn at once (web-standard `crypto.getRandomValues`). */
const pool = new Uint8Array(16 * 256);
let taken = pool.length;

/**
 * The 32 hex digits of a random version 4 UUID, as `crypto.randomUUID()` without its dashes would give,
 * written from a pool of random bytes in one flat string: a turn makes several ids, and a UUID string
 * with its dashes removed cost two strings and a scan each (joining the digits two by two would leave
 * a tree of fifteen strings to flatten).
 */
export function randomHex(): string {
  if (taken === pool.length) {
    crypto.getRandomValues(pool);
    taken = 0;
  }
  const b = pool;
  const i = taken;
  taken += 16;
  // Version 4 in the 13th digit, variant 10xx in the 17th, as in a UUID.
  const version = (b[i + 6]! & 0x0f) | 0x40;
  const variant = (b[i + 8]! & 0x3f) | 0x80;
  return String.fromCharCode(
    HIGH[b[i]!]!,
    LOW[b[i]!]!,
    HIGH[b[i + 1]!]!,
    LOW[b[i + 1]!]!,
    HIGH[b[i + 2]!]!,
    LOW[b[i + 2]!]!,
    HIGH[b[i + 3]!]!,
    LOW[b[i + 3]!]!,
    HIGH[b[i + 4]!]!,
    LOW[b[i + 4]!]!,
    HIGH[b[i + 5]!]!,
    LOW[b[i + 5]!]!,
    HIGH[version]!,
    LOW[version]!,
    HIGH[b[i + 7]!]!,
    LOW[b[i + 7]!]!,
    HIGH[variant]!,
    LOW[variant]!,
    HIGH[b[i + 9]!]!,
    LOW[b[i + 9]!]!,
    HIGH[b[i + 10]!]!,
    LOW[b[i + 10]!]!,
    HIGH[b[i + 11]!]!,
    LOW[b[i + 11]!]!,
    HIGH[b[i + 12]!]!,
    LOW[b[i + 12]!]!,
    HIGH[b[i + 13]!]!,
    LOW[b[i + 13]!]!,
    HIGH[b[i + 14]!]!,
    LOW[b[i + 14]!]!,
    HIGH[b[i + 15]!]!,
    LOW[b[i + 15]!]!,
  );
}

/** A generator that counts per kind (`msg_1`, `msg_2`, ...); handy for tests and snapshots. */
export function sequentialIds(): IdGenerator {
  const counters = new Map<IdKind, number>();
  return (kind) => {
    const next = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, next);
    return `${PREFIX[kind]}${next}`;
  };
}
