/**
 * `npm run bench` (the ratios): runs every comparison of bench/comparisons.ts, the runners alternating
 * over the rounds, and prints each figure's median and spread per runner and its ratio to the baseline,
 * with the machine's load at the start and end. Ratios are what to compare across runs and machines.
 *
 * Environment: BENCH_ROUNDS (default 5), BENCH_COMPARISONS (comma-separated comparison ids), BENCH_JSON (a file
 * to write the full results to), and each comparison's own (see its file).
 */

import { writeFileSync } from "node:fs";
import { comparisons } from "./comparisons.js";
import { describeLoad, loadNow, machine } from "./harness/machine.js";
import { formatComparison, formatGoals } from "./harness/report.js";
import { type ComparisonResult, runComparison } from "./harness/run.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const only = process.env.BENCH_COMPARISONS?.split(",").map((id) => id.trim());
const selected = comparisons.filter((comparison) => only === undefined || only.includes(comparison.id));

const info = machine();
const loadStart = loadNow();
console.log(
  `bench ratios: Node ${info.node}, ${info.platform}, ${info.cpus} × ${info.cpuModel}, ${info.memoryGB} GB; ` +
    `load average ${describeLoad(loadStart)} (1/5/15 min)`,
);
console.log(
  "figures are medians over the rounds (min–max); ratios are runner/baseline (min–max of the rounds)\n",
);

const results: ComparisonResult[] = [];
for (const comparison of selected) {
  console.log(`${comparison.title} [${comparison.id}] …`);
  const result = await runComparison(comparison, ROUNDS, (line) => console.log(line));
  results.push(result);
  console.log(`\n${formatComparison(result).join("\n")}\n`);
}
const loadEnd = loadNow();
console.log("goals");
console.log(formatGoals(results).join("\n"));
console.log(`load average ${describeLoad(loadStart)} at the start, ${describeLoad(loadEnd)} at the end`);
if (process.env.BENCH_JSON) {
  writeFileSync(
    process.env.BENCH_JSON,
    `${JSON.stringify({ machine: info, loadStart, loadEnd, rounds: ROUNDS, results }, null, 2)}\n`,
  );
}
