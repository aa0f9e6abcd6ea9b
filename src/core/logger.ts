/**
 * A leveled logger that never prints a credential: every string argument goes through `redactSecrets`,
 * and objects are copied with secret-looking header values masked before the sink sees them.
 */

import { redactDeep, redactSecrets } from "../internal/redact.js";

export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Anything with these four methods: `console`, pino, winston, a test spy... */
export interface Logger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

const LEVEL_RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && Object.hasOwn(LEVEL_RANK, value);
}

/** Wraps `sink` so that only messages at or above `level` pass, all of them redacted. */
export function createLogger(level: LogLevel, sink: Logger): Logger {
  const rank = LEVEL_RANK[level];
  const logger = {} as Logger;
  for (const method of ["error", "warn", "info", "debug"] as const) {
    logger[method] = (message: string, ...rest: unknown[]): void => {
      if (LEVEL_RANK[method] > rank) return;
      try {
        sink[method](
          `[openresponses] ${redactSecrets(message)}`,
          ...rest.map((entry) => redactDeep(entry, { maskSecretKeys: true })),
        );
      } catch {
        // A broken log sink must never break a request.
      }
    };
  }
  return logger;
}
