/**
 * Every comparison `npm run bench` reports as ratios (bench/run.ts). A new one is a `Comparison`
 * (bench/harness/comparison.ts) added to this list; BENCH_COMPARISONS picks some by id.
 */

import { clientCallsComparison, clientDeltasComparison } from "./client/comparisons.js";
import type { Comparison } from "./harness/comparison.js";
import { idleComparison } from "./kit/idle.js";
import { jsonComparison } from "./kit/json.js";
import { sseComparison } from "./kit/sse.js";

export const comparisons: readonly Comparison[] = [
  sseComparison,
  jsonComparison,
  idleComparison,
  clientDeltasComparison,
  clientCallsComparison,
];
