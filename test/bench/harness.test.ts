/**
 * The bench harness's arithmetic: runners alternate over the rounds, each figure is summarised by its
 * median and spread, ratios are taken against the baseline with their per-round spread, and a goal is
 * read in the direction of the figure (at least, for a throughput; at most, for a cost).
 */

import { describe, expect, it } from "vitest";
import { type Comparison, roundOrder } from "../../bench/harness/comparison.js";
import { formatComparison, formatGoals } from "../../bench/harness/report.js";
import { runComparison } from "../../bench/harness/run.js";
import { median, percentile } from "../../bench/harness/stats.js";

function fake(values: Record<string, number[]>, order: string[]): Comparison {
  const calls = new Map<string, number>();
  return {
    id: "fake",
    title: "a fake comparison",
    describe: () => ["made up"],
    runners: ["ours", "bare"],
    baseline: "bare",
    figures: [
      { key: "ops/s", better: "higher", goal: 0.5 },
      { key: "KB", better: "lower", goal: 1.5 },
    ],
    async start() {
      return {
        async measure(runner) {
          order.push(runner);
          const index = calls.get(runner) ?? 0;
          calls.set(runner, index + 1);
          const value = values[runner]![index]!;
          return { "ops/s": value, KB: 1000 / value };
        },
        async close() {},
      };
    },
  };
}

describe("bench harness", () => {
  it("rotates the runners each round, so none always goes first", () => {
    expect(roundOrder(["a", "b", "c"], 0)).toEqual(["a", "b", "c"]);
    expect(roundOrder(["a", "b", "c"], 1)).toEqual(["b", "c", "a"]);
    expect(roundOrder(["a", "b"], 1)).toEqual(["b", "a"]);
  });

  it("over two cycles of rounds, runs each runner right after each other one equally often", () => {
    const runners = ["a", "b", "c"];
    const follows = new Map<string, number>();
    for (let round = 0; round < 2 * runners.length; round++) {
      const order = roundOrder(runners, round);
      expect([...order].sort()).toEqual(runners);
      order.slice(1).forEach((runner, index) => {
        const pair = `${order[index]}>${runner}`;
        follows.set(pair, (follows.get(pair) ?? 0) + 1);
      });
    }
    // Six ordered pairs of three runners, each twice in six rounds of two neighbours each.
    expect(follows.size).toBe(6);
    expect([...follows.values()]).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it("medians, spreads, ratios to the baseline and goals in the figure's direction", async () => {
    const order: string[] = [];
    const result = await runComparison(
      fake({ ours: [40, 60, 50], bare: [100, 100, 200] }, order),
      3,
      () => {},
    );
    expect(order).toEqual(["ours", "bare", "bare", "ours", "bare", "ours"]);
    const [ops, kb] = result.figures;
    expect(ops?.runners.ours).toMatchObject({ median: 50, min: 40, max: 60 });
    expect(ops?.ratios[0]).toMatchObject({
      runner: "ours",
      ratio: 0.5,
      roundMin: 0.25,
      roundMax: 0.6,
      met: true,
    });
    // A cost: the median KB of ours (20) is twice the baseline's (10), over the goal of 1.5×.
    expect(kb?.ratios[0]?.ratio).toBeCloseTo(2);
    expect(kb?.ratios[0]?.met).toBe(false);
    expect(result.loadStart.loadavg).toHaveLength(3);
    const text = formatComparison(result).join("\n");
    expect(text).toContain("0.50×");
    expect(formatGoals([result]).join("\n")).toContain("ok");
  });

  it("a figure below its goal is reported MISSED", async () => {
    const result = await runComparison(fake({ ours: [10], bare: [100] }, []), 1, () => {});
    expect(result.figures[0]?.ratios[0]?.met).toBe(false);
    expect(formatGoals([result]).join("\n")).toContain("MISSED");
  });

  it("median and percentile", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
  });
});
