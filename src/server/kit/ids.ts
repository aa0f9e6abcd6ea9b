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

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
/** Random bytes for 256 ids, drawn at once (web-standard `crypto.getRandomValues`). */
const pool = new Uint8Array(16 * 256);
let taken = pool.length;

/**
 * The 32 hex digits of a random version 4 UUID, as `crypto.randomUUID()` without its dashes would give,
 * written from a pool of random bytes: a turn makes several ids, and a UUID string with its dashes
 * removed cost two strings and a scan each.
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
  return (
    HEX[b[i]!]! +
    HEX[b[i + 1]!]! +
    HEX[b[i + 2]!]! +
    HEX[b[i + 3]!]! +
    HEX[b[i + 4]!]! +
    HEX[b[i + 5]!]! +
    HEX[(b[i + 6]! & 0x0f) | 0x40]! +
    HEX[b[i + 7]!]! +
    HEX[(b[i + 8]! & 0x3f) | 0x80]! +
    HEX[b[i + 9]!]! +
    HEX[b[i + 10]!]! +
    HEX[b[i + 11]!]! +
    HEX[b[i + 12]!]! +
    HEX[b[i + 13]!]! +
    HEX[b[i + 14]!]! +
    HEX[b[i + 15]!]!
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
