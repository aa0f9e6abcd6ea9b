/** The human report: one line per scenario, its findings under it, then the rules broken. */

import type { CheckReport, ScenarioStatus } from "./report-types.js";

const LABEL: Readonly<Record<ScenarioStatus, string>> = {
  pass: "PASS",
  fail: "FAIL",
  warn: "WARN",
  skip: "SKIP",
};

export function humanReport(report: CheckReport): string {
  const lines: string[] = [];
  const dialect = report.dialect === "spec" ? "" : `, ${report.dialect} dialect`;
  lines.push(`Checking ${report.server} against Open Responses ${report.spec_version}${dialect}`);
  const width = Math.max(...report.scenarios.map((scenario) => scenario.id.length), 10);
  for (const scenario of report.scenarios) {
    const why = scenario.status === "skip" && scenario.reason ? ` (skipped: ${scenario.reason})` : "";
    lines.push(
      `  ${LABEL[scenario.status]}  ${scenario.id.padEnd(width)}  ${scenario.transport.padEnd(9)}  ${scenario.title}${why}`,
    );
    for (const finding of scenario.findings) {
      lines.push(
        `        ${finding.severity === "fail" ? "MUST  " : "SHOULD"} ${finding.rule.padEnd(4)} ${finding.message}`,
      );
      if (finding.evidence !== null) lines.push(`                    evidence: ${finding.evidence}`);
    }
  }
  const s = report.summary;
  lines.push("");
  lines.push(
    `${s.total} scenarios: ${s.passed} passed, ${s.failed} failed, ${s.warned} with warnings, ${s.skipped} skipped (${s.duration_ms} ms).`,
  );
  if (s.rules_failed.length > 0) lines.push(`MUST broken: ${s.rules_failed.join(", ")}.`);
  if (s.rules_warned.length > 0) lines.push(`SHOULD broken (warnings): ${s.rules_warned.join(", ")}.`);
  lines.push(
    s.compliant
      ? "Compliant: no MUST of the specification was broken."
      : s.skipped === s.total
        ? "Nothing was checked: every scenario was skipped."
        : "Not compliant.",
  );
  return `${lines.join("\n")}\n`;
}
