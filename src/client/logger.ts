/**
 * A leveled logger that never prints a credential: every string argument goes through `redactSecrets`,
 * and objects are copied with secret-looking header values masked before the sink sees them.
 */

import { redactSecrets } from "../errors.js";

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

const SENSITIVE_KEY = /^(authorization|api[-_]?key|x-api-key|proxy-authorization|cookie|set-cookie)$/i;

/** Deep copy with strings redacted and sensitive keys masked; bounded in depth so cycles cannot hang. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[…]";
  if (value instanceof Error) return redactSecrets(String(value.stack ?? value.message));
  if (Array.isArray(value)) return value.map((entry) => redactValue(entry, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? "[redacted]" : redactValue(entry, depth + 1);
  }
  return out;
}

/** Wraps `sink` so that only messages at or above `level` pass, all of them redacted. */
export function createLogger(level: LogLevel, sink: Logger): Logger {
  const rank = LEVEL_RANK[level];
  const emit =
    (method: keyof Logger, methodRank: number) =>
    (message: string, ...rest: unknown[]): void => {
      if (methodRank > rank) return;
      try {
        sink[method](`[openresponses] ${redactSecrets(message)}`, ...rest.map((entry) => redactValue(entry)));
      } catch {
        // A broken log sink must never break a request.
      }
    };
  return {
    error: emit("error", 1),
    warn: emit("warn", 2),
    info: emit("info", 3),
    debug: emit("debug", 4),
  };
}
