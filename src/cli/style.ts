/**
 * Colour on a terminal, and only there. A stream gets colour when it is a TTY and `TERM` is not `dumb`;
 * `NO_COLOR` (any non-empty value, no-color.org) turns it off, and `FORCE_COLOR` decides outright when
 * set, as Node itself reads it (`""`, `1`, `2`, `3`, `true`: on; anything else, such as `0`: off), so a CI
 * log that renders ANSI can ask for it.
 */

export interface Style {
  readonly enabled: boolean;
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const FORCE_ON = new Set(["", "1", "2", "3", "true"]);

/** Whether text written to `stream` should carry colour, by the rules above. */
export function colorEnabled(stream: unknown, env: Record<string, string | undefined>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return FORCE_ON.has(force.trim().toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTerminal(stream);
}

function wrap(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => (text === "" ? text : `\u001b[${open}m${text}\u001b[${close}m`) : (text) => text;
}

export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    dim: wrap(enabled, 2, 22),
    bold: wrap(enabled, 1, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

/** The style for one output stream of a command. */
export function styleFor(stream: unknown, env: Record<string, string | undefined>): Style {
  return createStyle(colorEnabled(stream, env));
}

/** True when `stream` is a terminal (for what is only worth doing there: progress, pacing). */
export function isTerminal(stream: unknown): boolean {
  return (stream as { isTTY?: boolean } | null)?.isTTY === true;
}
