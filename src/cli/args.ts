/**
 * Thin helpers over `node:util` parseArgs: every command declares its options once, and a bad flag or
 * value becomes a `UsageError` with one clear sentence (exit code 2), never a stack trace.
 */

import { type ParseArgsConfig, parseArgs } from "node:util";

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseCommandArgs(argv: string[], options: OptionSpec, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as Parsed["values"], positionals };
  } catch (error) {
    // parseArgs messages are precise ("Unknown option '--x'"); keep the first line only.
    const message = error instanceof Error ? error.message : String(error);
    const firstSentence = message.split(/(?<=\.)\s|\n/)[0] ?? message;
    throw new UsageError(/[.!?]$/.test(firstSentence) ? firstSentence : `${firstSentence}.`);
  }
}

export function stringOption(values: Parsed["values"], name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** An integer option within bounds, with a message that names the flag. */
export function integerOption(
  values: Parsed["values"],
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got "${String(raw)}").`);
  }
  return value;
}
