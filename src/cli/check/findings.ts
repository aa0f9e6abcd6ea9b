/**
 * Collects the findings of one scenario: bounded per rule (a server that breaks S4 on every delta gets
 * a handful of examples and a count, not ten thousand lines), with evidence trimmed and never holding a
 * credential.
 */

import { redactSecrets } from "../../internal/redact.js";
import { MAX_EVIDENCE_CHARS, MAX_FINDINGS_PER_RULE } from "./limits.js";
import type { Dialect, Finding, Severity } from "./report-types.js";

/** A short, printable rendering of a value: JSON for objects, trimmed with an ellipsis. */
export function evidenceOf(value: unknown): string | null {
  if (value === undefined) return null;
  let text: string;
  if (typeof value === "string") text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = redactSecrets(text);
  return text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS - 1)}…` : text;
}

export class FindingList {
  readonly items: Finding[] = [];
  private readonly perRule = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(readonly dialect: Dialect = "spec") {}

  fail(rule: string, message: string, evidence?: unknown): void {
    this.add(rule, "fail", message, evidence);
  }

  warn(rule: string, message: string, evidence?: unknown): void {
    this.add(rule, "warn", message, evidence);
  }

  add(rule: string, severity: Severity, message: string, evidence?: unknown): void {
    // The same sentence about the same rule is one finding: a repeated break adds nothing to read.
    const key = `${rule}\u0000${severity}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const count = (this.perRule.get(rule) ?? 0) + 1;
    this.perRule.set(rule, count);
    if (count <= MAX_FINDINGS_PER_RULE) {
      this.items.push({ rule, severity, message: redactSecrets(message), evidence: evidenceOf(evidence) });
    }
  }

  /** Appends one line per rule whose findings were cut, saying how many more there were. */
  close(): Finding[] {
    for (const [rule, count] of this.perRule) {
      if (count <= MAX_FINDINGS_PER_RULE) continue;
      const worst = this.items.some((finding) => finding.rule === rule && finding.severity === "fail");
      this.items.push({
        rule,
        severity: worst ? "fail" : "warn",
        message: `…and ${count - MAX_FINDINGS_PER_RULE} more findings of ${rule} in this scenario.`,
        evidence: null,
      });
    }
    return this.items;
  }

  has(rule: string): boolean {
    return this.perRule.has(rule);
  }
}
