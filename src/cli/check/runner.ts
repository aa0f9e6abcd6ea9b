/**
 * Runs the selected scenarios one after another, each under its own deadline (and the run's total
 * limit), and turns their findings into a report. A scenario that ignores its abort signal still cannot
 * hold the run: its promise is raced against the deadline.
 */

import { FindingList } from "./findings.js";
import type { CheckLimits } from "./limits.js";
import type { Recorder } from "./recorder.js";
import type { CheckReport, Dialect, Finding, ScenarioResult, ScenarioStatus } from "./report-types.js";
import { SPEC_VERSION } from "./report-types.js";
import {
  newRunState,
  type RunState,
  ScenarioContext,
  SkipScenario,
  Unreachable,
} from "./scenario-context.js";
import type { Scenario } from "./scenarios/index.js";
import type { CheckTarget } from "./target.js";

export interface RunOptions {
  target: CheckTarget;
  scenarios: readonly Scenario[];
  limits: CheckLimits;
  dialect: Dialect;
  recorder?: Recorder | undefined;
  /** Told as each scenario starts and ends, so a reporter can print as the run goes. */
  observer?: RunObserver | undefined;
  /** What the run learnt about the server (filled in as it goes); a fresh one when absent. */
  state?: RunState | undefined;
}

export interface RunObserver {
  started?(scenario: Scenario, index: number): void;
  finished?(result: ScenarioResult, index: number): void;
}

/** What to report when a scenario is not even started. */
function skipped(scenario: Scenario, reason: string): ScenarioResult {
  return {
    id: scenario.id,
    transport: scenario.transport,
    title: scenario.title,
    status: "skip",
    reason,
    rules: scenario.rules,
    findings: [],
    duration_ms: 0,
  };
}

function statusOf(findings: Finding[], skip: string | undefined): ScenarioStatus {
  if (findings.some((finding) => finding.severity === "fail")) return "fail";
  if (skip !== undefined) return "skip";
  return findings.length > 0 ? "warn" : "pass";
}

async function runOne(
  scenario: Scenario,
  options: RunOptions,
  deadlineMs: number,
  state: RunState,
): Promise<{ result: ScenarioResult; credentialsRefused: boolean }> {
  const started = Date.now();
  const findings = new FindingList(options.dialect);
  const controller = new AbortController();
  const ctx = new ScenarioContext(
    options.target,
    findings,
    controller.signal,
    options.limits,
    options.dialect,
    state,
  );
  let skip: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The abort fires at the deadline; the race gives the scenario a moment to notice, then stops waiting.
  const deadline = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error("deadline"));
      setTimeout(() => resolve("deadline"), 1000).unref?.();
    }, deadlineMs);
  });
  try {
    const outcome = await Promise.race([scenario.run(ctx).then(() => "done" as const), deadline]);
    if (outcome === "deadline")
      findings.fail("TIMEOUT", `The scenario did not finish within ${deadlineMs} ms.`);
  } catch (error) {
    if (error instanceof SkipScenario) skip = error.message;
    else if (error instanceof Unreachable) throw error;
    else
      findings.fail(
        "CHECK",
        `The scenario stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`,
      );
  } finally {
    clearTimeout(timer);
    controller.abort();
    ctx.close();
  }
  const list = findings.close();
  const status = statusOf(list, skip);
  if (options.recorder) {
    await options.recorder.write({
      scenario: scenario.id,
      transport: scenario.transport,
      exchanges: ctx.exchanges,
    });
  }
  const result: ScenarioResult = {
    id: scenario.id,
    transport: scenario.transport,
    title: scenario.title,
    status,
    reason:
      skip ??
      (status === "fail" ? (list.find((finding) => finding.severity === "fail")?.message ?? null) : null),
    rules: scenario.rules,
    findings: list,
    duration_ms: Date.now() - started,
  };
  return { result, credentialsRefused: ctx.credentialsRefused };
}

/** Runs the check. Throws `Unreachable` when the server could not be reached at all. */
export async function runScenarios(options: RunOptions): Promise<CheckReport> {
  const started = Date.now();
  const state = options.state ?? newRunState();
  const results: ScenarioResult[] = [];
  let refused = 0;
  for (const [index, scenario] of options.scenarios.entries()) {
    const left = options.limits.totalTimeoutMs - (Date.now() - started);
    let result: ScenarioResult;
    if (left <= 0) {
      result = skipped(scenario, `the total time limit (${options.limits.totalTimeoutMs} ms) was reached`);
    } else {
      options.observer?.started?.(scenario, index);
      const outcome = await runOne(
        scenario,
        options,
        Math.min(options.limits.scenarioTimeoutMs, left),
        state,
      );
      result = outcome.result;
      if (outcome.credentialsRefused) refused++;
    }
    results.push(result);
    options.observer?.finished?.(result, index);
  }
  return buildReport(options, results, Date.now() - started, refused);
}

function buildReport(
  options: RunOptions,
  scenarios: ScenarioResult[],
  duration: number,
  credentialsRefused: number,
): CheckReport {
  const failed = new Set<string>();
  const warned = new Set<string>();
  for (const scenario of scenarios) {
    for (const finding of scenario.findings)
      (finding.severity === "fail" ? failed : warned).add(finding.rule);
  }
  for (const rule of failed) warned.delete(rule);
  const count = (status: ScenarioStatus) => scenarios.filter((scenario) => scenario.status === status).length;
  const byRule = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
  return {
    server: options.target.label,
    spec_version: SPEC_VERSION,
    dialect: options.dialect,
    scenarios,
    summary: {
      total: scenarios.length,
      passed: count("pass"),
      failed: count("fail"),
      warned: count("warn"),
      skipped: count("skip"),
      rules_failed: [...failed].sort(byRule),
      rules_warned: [...warned].sort(byRule),
      duration_ms: duration,
      credentials_refused: credentialsRefused,
      // Nothing judged (every scenario skipped) proves nothing, and a refused credential means the
      // scenarios that matter may not have run: neither is a pass.
      compliant: failed.size === 0 && count("skip") < scenarios.length && credentialsRefused === 0,
    },
  };
}
