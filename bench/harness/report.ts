/**
 * The text report: per comparison, each runner's median with its spread over the rounds, and the ratio
 * to the baseline with its goal; at the end, every ratio that has a goal in one list, so a change that
 * loses speed shows as MISSED.
 */

import { describeLoad } from "./machine.js";
import type { ComparisonResult, RatioResult } from "./run.js";
import { formatNumber, type Summary } from "./stats.js";

const pad = (text: string, width: number) => text.padEnd(width);

function cell(summary: Summary | undefined): string {
  if (summary === undefined) return "—";
  if (summary.values.length === 1) return formatNumber(summary.median);
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

function ratioCell(ratio: RatioResult): string {
  const spread = Number.isFinite(ratio.roundMin)
    ? ` (${ratio.roundMin.toFixed(2)}–${ratio.roundMax.toFixed(2)})`
    : "";
  return `${ratio.ratio.toFixed(2)}×${spread}`;
}

export function goalText(ratio: RatioResult, better: "higher" | "lower"): string {
  if (ratio.goal === undefined) return "";
  return `${better === "higher" ? "≥" : "≤"} ${ratio.goal.toFixed(2)}× ${ratio.met ? "ok" : "MISSED"}`;
}

export function formatComparison(result: ComparisonResult): string[] {
  const lines = [`${result.title} [${result.id}]`];
  for (const condition of result.conditions) lines.push(`  ${condition}`);
  lines.push(
    `  ${result.rounds} rounds; load average ${describeLoad(result.loadStart)} at the start, ${describeLoad(result.loadEnd)} at the end`,
  );
  const runners = Object.keys(result.figures[0]?.runners ?? {});
  const others = runners.filter((runner) => runner !== result.baseline);
  const ordered = [...others, result.baseline];
  const header = [pad("figure", 22), ...ordered.map((runner) => pad(runner, 28))];
  for (const other of others) header.push(pad(`${other}/${result.baseline}`, 20), pad("goal", 14));
  lines.push(`  ${header.join("")}`.trimEnd());
  for (const figure of result.figures) {
    const row = [
      pad(figure.figure.key, 22),
      ...ordered.map((runner) => pad(cell(figure.runners[runner]), 28)),
    ];
    for (const other of others) {
      const ratio = figure.ratios.find((r) => r.runner === other);
      row.push(
        pad(ratio ? ratioCell(ratio) : "", 20),
        pad(ratio ? goalText(ratio, figure.figure.better) : "", 14),
      );
    }
    lines.push(`  ${row.join("")}`.trimEnd());
  }
  return lines;
}

/** Every ratio that has a goal, one line each. */
export function formatGoals(results: readonly ComparisonResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    for (const figure of result.figures) {
      for (const ratio of figure.ratios) {
        if (ratio.goal === undefined) continue;
        lines.push(
          `  ${pad(`${result.id} ${figure.figure.key}`, 34)} ${pad(`${ratio.runner}/${result.baseline}`, 14)} ${pad(ratioCell(ratio), 20)} ${goalText(ratio, figure.figure.better)}`,
        );
      }
    }
  }
  return lines;
}
