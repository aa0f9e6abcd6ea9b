/**
 * The shape of a check report: what `--json` prints, what the human and JUnit reporters render, and what
 * tests assert on. Documented field by field in docs/cli.md; change both together.
 */

/** `fail`: a MUST of the specification is broken. `warn`: a SHOULD, or a known deviation clients accept. */
export type Severity = "fail" | "warn";

export interface Finding {
  /** A rule id of docs/rules.md (`S3`), or one of check's own ids (`TIMEOUT`, `TOO_LARGE`, `NETWORK`). */
  rule: string;
  severity: Severity;
  message: string;
  /** The event, field or bytes that show it, trimmed; null when there is nothing to show. */
  evidence: string | null;
}

export type ScenarioStatus = "pass" | "fail" | "warn" | "skip";

export type Transport = "http" | "websocket";

export interface ScenarioResult {
  id: string;
  transport: Transport;
  title: string;
  status: ScenarioStatus;
  /** Why a scenario was skipped (or, for a failed one, the first finding's message). */
  reason: string | null;
  /** The rules the scenario exercises. */
  rules: string[];
  findings: Finding[];
  duration_ms: number;
}

export interface ReportSummary {
  total: number;
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
  /** Rule ids with at least one `fail` finding, sorted. */
  rules_failed: string[];
  /** Rule ids with only `warn` findings, sorted. */
  rules_warned: string[];
  duration_ms: number;
  /** Scenarios in which the server refused the credentials (401/403); any makes the run not compliant. */
  credentials_refused: number;
  /**
   * True when no MUST was broken (warnings allowed), at least one scenario was judged and the credentials
   * were never refused: exit code 0.
   */
  compliant: boolean;
}

export interface CheckReport {
  /** The base URL checked (credentials removed), or "the built-in model". */
  server: string;
  /** The specification version the rules and schemas come from. */
  spec_version: string;
  /** `spec` (default) or `openai`: which known deviations are downgraded to warnings. */
  dialect: Dialect;
  scenarios: ScenarioResult[];
  summary: ReportSummary;
}

/**
 * `openai`: the server speaks the OpenAI dialect on purpose; deviations docs/rules.md lists under "Observed
 * in the wild" that clients must accept anyway (no `[DONE]`) are warnings instead of failures.
 */
export type Dialect = "spec" | "openai";

export const SPEC_VERSION = "2026-04-24";
