import { expect } from "vitest";
import type { CheckReport } from "../../../src/cli/check/report-types.js";
import { runInProcess } from "../in-process.js";

export interface CheckRun {
  code: number;
  report: CheckReport;
  stderr: string;
}

/** Runs `openresponses check --json ...args` in this process and parses the report. */
export async function runCheckJSON(args: string[]): Promise<CheckRun> {
  const result = await runInProcess(["check", "--json", ...args]).done;
  let report: CheckReport;
  try {
    report = JSON.parse(result.stdout) as CheckReport;
  } catch {
    throw new Error(`check printed no JSON report (exit ${result.code}): ${result.stderr}${result.stdout}`);
  }
  return { code: result.code, report, stderr: result.stderr };
}

/** The rule ids with a `fail` finding anywhere in the report. */
export function failedRules(report: CheckReport): string[] {
  return report.summary.rules_failed;
}

/** Every fail finding, for a readable assertion message. */
export function failures(report: CheckReport): string[] {
  return report.scenarios.flatMap((scenario) =>
    scenario.findings
      .filter((finding) => finding.severity === "fail")
      .map((finding) => `${scenario.id} ${finding.rule}: ${finding.message}`),
  );
}

/**
 * `openresponses check` against a server started without an API key: no failure, every scenario passes
 * over HTTP and WebSocket but the API-key one (skipped: there is no key to leave out), and exit 0.
 */
export async function expectEveryScenarioPasses(baseURL: string, model: string): Promise<void> {
  const { report, code } = await runCheckJSON(["--base-url", baseURL, "--model", model]);
  expect(failures(report)).toEqual([]);
  expect(
    report.scenarios
      .filter((scenario) => scenario.status !== "pass")
      .map((scenario) => [scenario.id, scenario.status]),
  ).toEqual([["auth-required", "skip"]]);
  const transports = new Set(report.scenarios.filter((s) => s.status === "pass").map((s) => s.transport));
  expect(transports).toEqual(new Set(["http", "websocket"]));
  expect(code).toBe(0);
}
