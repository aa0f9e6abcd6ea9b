/**
 * Bounds on what check reads and how long it waits, so a hostile or broken server cannot hang it or
 * fill its memory. Crossing one is itself a finding (`TIMEOUT`, `TOO_LARGE`).
 */

export interface CheckLimits {
  /** Milliseconds one scenario may take, every exchange included. */
  scenarioTimeoutMs: number;
  /** Milliseconds the whole run may take; scenarios not started by then are skipped. */
  totalTimeoutMs: number;
  /** Bytes read from one HTTP body or one WebSocket session. */
  maxBytes: number;
  /** Events read from one stream (or one WebSocket session). */
  maxEvents: number;
}

export const DEFAULT_LIMITS: CheckLimits = {
  scenarioTimeoutMs: 30_000,
  totalTimeoutMs: 300_000,
  maxBytes: 8 * 1024 * 1024,
  maxEvents: 20_000,
};

/** The longest evidence string kept in a finding. */
export const MAX_EVIDENCE_CHARS = 300;
/** Findings kept per rule and scenario; the rest are counted in one last finding. */
export const MAX_FINDINGS_PER_RULE = 8;
