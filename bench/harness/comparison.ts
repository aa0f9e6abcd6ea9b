/**
 * What a comparison is, and how the harness runs one. A comparison measures the same work done by two
 * or more runners (ours and a bare baseline) and reports every figure as a ratio to the baseline, with a
 * goal where the project set one. To add one, write a `Comparison` (see bench/kit/ for examples) and
 * list it in bench/comparisons.ts; the harness alternates the runners over the rounds and does the rest.
 */

export interface Figure {
  /** The key of this figure in a measurement, e.g. `"events/s"`. */
  key: string;
  /** Whether a larger value is better (throughput) or a smaller one (latency, memory, CPU per unit). */
  better: "higher" | "lower";
  /**
   * The goal on runner/baseline, read in the direction of `better`: for a throughput, the ratio must be at
   * least this; for a cost, at most this. A figure without a goal is reported for context.
   */
  goal?: number;
  /** Optional: only these runners are compared to the baseline on this figure (default: all). */
  runners?: readonly string[];
}

/** One measurement of one runner: the value of each figure (missing ones are left out of the summary). */
export type Measurement = Record<string, number>;

export interface Session {
  /** Measures `runner` once. Called in rounds, with the runners in a different order each round. */
  measure(runner: string, round: number): Promise<Measurement>;
  /** Frees what `start` set up (child processes, servers). */
  close(): Promise<void>;
}

export interface Comparison {
  /** A short id for `BENCH_COMPARISONS` and the JSON results, e.g. `"kit-sse"`. */
  id: string;
  /** What is measured, in one line. */
  title: string;
  /** The conditions a reader needs (sizes, what each runner is), one line each. */
  describe(): string[];
  /** Every runner, the baseline among them. */
  runners: readonly string[];
  /** The runner every ratio is taken against. */
  baseline: string;
  figures: readonly Figure[];
  /** Rounds for this comparison, when it should differ from the harness's (a slow one may run fewer). */
  rounds?: number;
  start(): Promise<Session>;
}

/**
 * The order of the runners in `round`: rotated each round, so no runner always goes first or last, and
 * reversed every other cycle of rotations, so no runner always follows the same one (a plain rotation
 * runs `b` after `a` in every round: whatever one process leaves behind, in the server or the caches,
 * always falls on the same neighbour).
 */
export function roundOrder<T>(runners: readonly T[], round: number): T[] {
  const count = runners.length;
  const rotated = runners.map((_, index) => runners[(index + round) % count]!);
  return Math.floor(round / count) % 2 === 1 ? rotated.reverse() : rotated;
}
