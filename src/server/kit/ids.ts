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

/** The default generator: a prefix plus a random UUID without dashes (web-standard `crypto.randomUUID`). */
export const randomIds: IdGenerator = (kind) => PREFIX[kind] + crypto.randomUUID().replaceAll("-", "");

/** A generator that counts per kind (`msg_1`, `msg_2`, ...); handy for tests and snapshots. */
export function sequentialIds(): IdGenerator {
  const counters = new Map<IdKind, number>();
  return (kind) => {
    const next = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, next);
    return `${PREFIX[kind]}${next}`;
  };
}
