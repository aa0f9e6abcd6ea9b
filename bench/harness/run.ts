/**
 * Runs comparisons: each one's runners alternate over the rounds, every measurement is kept, and the
 * result holds each figure's median and spread per runner plus the ratios to the baseline (the ratio of
 * the medians, and the spread of the per-round ratios, which shows how steady the comparison was).
 */

import { type Comparison, type Figure, roundOrder } from "./comparison.js";
import { type LoadSnapshot, loadNow } from "./machine.js";
import { median, type Summary, summarise } from "./stats.js";

export interface RatioResult {
  runner: string;
  /** median(runner) / median(baseline). */
  ratio: number;
  /** The smallest and largest ratio of one round's measurements. */
  roundMin: number;
  roundMax: number;
  goal: number | undefined;
  /** undefined when the figure has no goal. */
  met: boolean | undefined;
}

export interface FigureResult {
  figure: Figure;
  runners: Record<string, Summary>;
  ratios: RatioResult[];
}

export interface ComparisonResult {
  id: string;
  title: string;
  conditions: string[];
  baseline: string;
  rounds: number;
  loadStart: LoadSnapshot;
  loadEnd: LoadSnapshot;
  figures: FigureResult[];
}

export async function runComparison(
  comparison: Comparison,
  defaultRounds: number,
  log: (line: string) => void,
): Promise<ComparisonResult> {
  const rounds = comparison.rounds ?? defaultRounds;
  const loadStart = loadNow();
  const measured = new Map<string, Array<Record<string, number>>>(comparison.runners.map((r) => [r, []]));
  const session = await comparison.start();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const runner of roundOrder(comparison.runners, round)) {
        const measurement = await session.measure(runner, round);
        measured.get(runner)!.push(measurement);
        log(`    round ${round + 1}/${rounds} ${runner}: ${brief(comparison.figures, measurement)}`);
      }
    }
  } finally {
    await session.close();
  }
  const loadEnd = loadNow();
  const figures = comparison.figures.map((figure) => summariseFigure(comparison, figure, measured));
  return {
    id: comparison.id,
    title: comparison.title,
    conditions: comparison.describe(),
    baseline: comparison.baseline,
    rounds,
    loadStart,
    loadEnd,
    figures,
  };
}

function summariseFigure(
  comparison: Comparison,
  figure: Figure,
  measured: Map<string, Array<Record<string, number>>>,
): FigureResult {
  const valuesOf = (runner: string) =>
    (measured.get(runner) ?? []).map((m) => m[figure.key]).filter((v): v is number => typeof v === "number");
  const runners: Record<string, Summary> = {};
  for (const runner of comparison.runners) {
    const values = valuesOf(runner);
    if (values.length > 0) runners[runner] = summarise(values);
  }
  const base = measured.get(comparison.baseline) ?? [];
  const compared = (figure.runners ?? comparison.runners).filter((r) => r !== comparison.baseline);
  const ratios: RatioResult[] = [];
  for (const runner of compared) {
    const own = measured.get(runner) ?? [];
    const perRound: number[] = [];
    for (let i = 0; i < Math.min(own.length, base.length); i++) {
      const a = own[i]?.[figure.key];
      const b = base[i]?.[figure.key];
      if (typeof a === "number" && typeof b === "number" && b !== 0) perRound.push(a / b);
    }
    const baseMedian = median(valuesOf(comparison.baseline));
    const ratio = median(valuesOf(runner)) / baseMedian;
    if (!Number.isFinite(ratio)) continue;
    const met =
      figure.goal === undefined
        ? undefined
        : figure.better === "higher"
          ? ratio >= figure.goal
          : ratio <= figure.goal;
    ratios.push({
      runner,
      ratio,
      roundMin: Math.min(...perRound),
      roundMax: Math.max(...perRound),
      goal: figure.goal,
      met,
    });
  }
  return { figure, runners, ratios };
}

function brief(figures: readonly Figure[], measurement: Record<string, number>): string {
  return figures
    .filter((figure) => typeof measurement[figure.key] === "number")
    .map((figure) => `${figure.key} ${Number(measurement[figure.key]!.toPrecision(4))}`)
    .join(", ");
}
