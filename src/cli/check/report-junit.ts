/** `--junit FILE`: one testsuite per transport, one testcase per scenario, findings in the failure text. */

import type { CheckReport, ScenarioResult } from "./report-types.js";

function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function findingLines(scenario: ScenarioResult, severity: "fail" | "warn"): string {
  return scenario.findings
    .filter((finding) => finding.severity === severity)
    .map(
      (finding) =>
        `${finding.rule}: ${finding.message}${finding.evidence !== null ? `\n  evidence: ${finding.evidence}` : ""}`,
    )
    .join("\n");
}

function testcase(scenario: ScenarioResult): string {
  const open = `    <testcase name="${escapeXml(scenario.id)}" classname="openresponses.check.${scenario.transport}" time="${(scenario.duration_ms / 1000).toFixed(3)}">`;
  const body: string[] = [];
  if (scenario.status === "fail") {
    const rules = [
      ...new Set(scenario.findings.filter((f) => f.severity === "fail").map((f) => f.rule)),
    ].join(", ");
    body.push(
      `      <failure message="${escapeXml(`MUST broken: ${rules}`)}" type="${escapeXml(rules)}">${escapeXml(findingLines(scenario, "fail"))}</failure>`,
    );
  } else if (scenario.status === "skip") {
    body.push(`      <skipped message="${escapeXml(scenario.reason ?? "skipped")}"/>`);
  }
  const warnings = findingLines(scenario, "warn");
  if (warnings) body.push(`      <system-out>${escapeXml(warnings)}</system-out>`);
  return body.length === 0 ? `${open}</testcase>` : `${open}\n${body.join("\n")}\n    </testcase>`;
}

export function junitReport(report: CheckReport): string {
  const suites: string[] = [];
  for (const transport of ["http", "websocket"] as const) {
    const cases = report.scenarios.filter((scenario) => scenario.transport === transport);
    if (cases.length === 0) continue;
    const failures = cases.filter((scenario) => scenario.status === "fail").length;
    const skipped = cases.filter((scenario) => scenario.status === "skip").length;
    const time = cases.reduce((sum, scenario) => sum + scenario.duration_ms, 0) / 1000;
    suites.push(
      `  <testsuite name="openresponses check (${transport}): ${escapeXml(report.server)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}">\n${cases.map(testcase).join("\n")}\n  </testsuite>`,
    );
  }
  const failures = report.summary.failed;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="openresponses check" tests="${report.summary.total}" failures="${failures}" errors="0" skipped="${report.summary.skipped}" time="${(report.summary.duration_ms / 1000).toFixed(3)}">\n${suites.join("\n")}\n</testsuites>\n`;
}
