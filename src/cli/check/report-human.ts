/**
 * The human report: a header, one line per scenario with its findings under it, then the rules broken.
 * The parts are separate so `check` can print each scenario as it finishes. Everything a server chose
 * (messages quoting its errors, evidence) is shown inert: it cannot drive the terminal, and a line break
 * in it cannot forge a report line.
 */

import { createStyle, type Style } from "../style.js";
import { inertText } from "../terminal-text.js";
import type { CheckReport, Dialect, ReportSummary, ScenarioResult, ScenarioStatus } from "./report-types.js";

const LABEL: Readonly<Record<ScenarioStatus, string>> = {
  pass: "PASS",
  fail: "FAIL",
  warn: "WARN",
  skip: "SKIP",
};

const PLAIN = createStyle(false);

function label(status: ScenarioStatus, style: Style): string {
  const text = LABEL[status];
  if (status === "pass") return style.green(text);
  if (status === "fail") return style.red(style.bold(text));
  if (status === "warn") return style.yellow(text);
  return style.dim(text);
}

/** The first column's width for these scenario ids. */
export function idWidth(ids: readonly string[]): number {
  return Math.max(...ids.map((id) => id.length), 10);
}

export function reportHeader(server: string, specVersion: string, dialect: Dialect, style = PLAIN): string {
  const suffix = dialect === "spec" ? "" : `, ${dialect} dialect`;
  return `${style.bold(`Checking ${inertText(server)}`)} against Open Responses ${specVersion}${suffix}\n`;
}

/** A scenario's line and its findings' lines, each ending with a newline. */
export function scenarioLines(scenario: ScenarioResult, width: number, style = PLAIN): string {
  const lines: string[] = [];
  const why =
    scenario.status === "skip" && scenario.reason ? ` (skipped: ${inertText(scenario.reason)})` : "";
  lines.push(
    `  ${label(scenario.status, style)}  ${scenario.id.padEnd(width)}  ${scenario.transport.padEnd(9)}  ${scenario.title}${style.dim(why)}`,
  );
  for (const finding of scenario.findings) {
    const severity = finding.severity === "fail" ? style.red("MUST  ") : style.yellow("SHOULD");
    lines.push(`        ${severity} ${finding.rule.padEnd(4)} ${inertText(finding.message)}`);
    if (finding.evidence !== null) {
      lines.push(style.dim(`                    evidence: ${inertText(finding.evidence)}`));
    }
  }
  return `${lines.join("\n")}\n`;
}

export function reportFooter(s: ReportSummary, style = PLAIN): string {
  const lines: string[] = [""];
  lines.push(
    `${s.total} scenarios: ${s.passed} passed, ${s.failed} failed, ${s.warned} with warnings, ${s.skipped} skipped (${s.duration_ms} ms).`,
  );
  if (s.rules_failed.length > 0) lines.push(style.red(`MUST broken: ${s.rules_failed.join(", ")}.`));
  if (s.rules_warned.length > 0)
    lines.push(style.yellow(`SHOULD broken (warnings): ${s.rules_warned.join(", ")}.`));
  if (s.compliant) lines.push(style.green("Compliant: no MUST of the specification was broken."));
  else if (s.credentials_refused > 0)
    lines.push(
      style.red(
        `Not judged: the server refused the credentials in ${s.credentials_refused} of ${s.total} scenarios.`,
      ),
    );
  else if (s.skipped === s.total) lines.push(style.red("Nothing was checked: every scenario was skipped."));
  else lines.push(style.red("Not compliant."));
  return `${lines.join("\n")}\n`;
}

/** The whole report at once (what `check` prints when the run is over, without colour). */
export function humanReport(report: CheckReport, style = PLAIN): string {
  const width = idWidth(report.scenarios.map((scenario) => scenario.id));
  return (
    reportHeader(report.server, report.spec_version, report.dialect, style) +
    report.scenarios.map((scenario) => scenarioLines(scenario, width, style)).join("") +
    reportFooter(report.summary, style)
  );
}
