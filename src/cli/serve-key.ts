/**
 * Where `serve` takes the API key it requires from. `--api-key KEY` is shown in the process list to every
 * local user (`ps`), so the key can also come from an environment variable named by `--api-key-env`, or
 * from a file (`--api-key-file`, its first line). At most one of the three.
 */

import { readFileSync, statSync } from "node:fs";
import { type Parsed, stringOption, UsageError } from "./args.js";

export interface KeySource {
  /** The key, or undefined when no flag asked for one. */
  apiKey: string | undefined;
  /** A warning worth printing (a key file other users can read). */
  warning: string | undefined;
}

export function apiKeyFrom(values: Parsed["values"], env: Record<string, string | undefined>): KeySource {
  const given = (["api-key", "api-key-env", "api-key-file"] as const).filter(
    (name) => values[name] !== undefined,
  );
  if (given.length > 1) {
    throw new UsageError(
      `Give only one of --api-key, --api-key-env, --api-key-file (got ${given.map((n) => `--${n}`).join(", ")}).`,
    );
  }
  const envName = stringOption(values, "api-key-env");
  if (envName !== undefined) {
    const value = env[envName]?.trim();
    if (!value) throw new UsageError(`--api-key-env: the variable ${envName} is not set, or empty.`);
    return { apiKey: value, warning: undefined };
  }
  const file = stringOption(values, "api-key-file");
  if (file !== undefined) return fromFile(file);
  const inline = values["api-key"];
  if (inline !== undefined && stringOption(values, "api-key") === undefined) {
    throw new UsageError("--api-key is empty.");
  }
  return { apiKey: stringOption(values, "api-key"), warning: undefined };
}

function fromFile(path: string): KeySource {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      `--api-key-file: cannot read "${path}" (${typeof code === "string" ? code : "error"}).`,
    );
  }
  const key = text.split(/\r?\n/)[0]?.trim() ?? "";
  if (key === "") throw new UsageError(`--api-key-file: "${path}" has no key on its first line.`);
  let warning: string | undefined;
  try {
    // Windows has no such bits; elsewhere a key file any user can read defeats the point.
    if (process.platform !== "win32" && (statSync(path).mode & 0o004) !== 0) {
      warning = `the key file "${path}" is readable by every user; chmod 600 it.`;
    }
  } catch {}
  return { apiKey: key, warning };
}
