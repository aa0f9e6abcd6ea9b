/**
 * The CLI under a pseudo-terminal, for what only happens on a terminal (progress lines, colour, Ctrl-C
 * reaching readline as a key). Node has no pty of its own; util-linux's `script` (Debian's bsdutils, an
 * essential package) makes one: the program's stdin, stdout and stderr are the pty, and what we write to
 * script's stdin is typed at it. Every wait is bounded; the process is killed whatever happens.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { type Need, needs } from "../support/needs.js";
import { cleanEnv, ROOT } from "./spawn-cli.js";

export const SCRIPT_PATH = "/usr/bin/script";

export const ptyNeed = (): Need =>
  needs.binary(
    SCRIPT_PATH,
    "apt-get install bsdutils (util-linux's `script`, for the pseudo-terminal tests)",
  );

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

export interface PtySession {
  /** Everything the terminal showed so far, raw (escape sequences included, CRLF line ends). */
  output(): string;
  /** Types at the terminal (`\r` is Enter, `\u0003` Ctrl-C, `\u0004` Ctrl-D). */
  type(text: string): void;
  /** Resolves once the output (after `from`, a length of output) matches; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp | string, options?: { from?: number; timeoutMs?: number }): Promise<void>;
  /** The exit code of the CLI (script -e passes it on). */
  exited: Promise<number | null>;
  kill(): void;
}

/** Starts `openresponses ...args` on a fresh 100x30 pseudo-terminal. */
export function startInPty(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): PtySession {
  const command = [process.execPath, "--import", "tsx", "src/cli/main.ts", ...args].map(shellQuote).join(" ");
  const child: ChildProcess = spawn(
    SCRIPT_PATH,
    ["-q", "-e", "-E", "never", "-c", `stty cols 100 rows 30; exec ${command}`, "/dev/null"],
    { cwd: ROOT, env: { ...env, TERM: "xterm-256color" }, stdio: ["pipe", "pipe", "pipe"] },
  );
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  void exited.then(() => clearTimeout(killer));
  return {
    output: () => output,
    type: (text) => {
      child.stdin?.write(text);
    },
    waitFor(pattern, options = {}) {
      const from = options.from ?? 0;
      const matches = () =>
        typeof pattern === "string" ? output.indexOf(pattern, from) >= 0 : pattern.test(output.slice(from));
      return new Promise<void>((resolve, reject) => {
        if (matches()) return resolve();
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `timed out waiting for ${String(pattern)}; the terminal showed:\n${JSON.stringify(output.slice(from))}`,
            ),
          );
        }, options.timeoutMs ?? 20_000);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
      });
    },
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Runs `openresponses ...args` on a pseudo-terminal to completion (nothing typed). */
export async function runInPty(
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const session = startInPty(args, env);
  try {
    const code = await session.exited;
    return { code, output: session.output() };
  } finally {
    session.kill();
  }
}

/** SGR (colour, bold, dim) sequences in `text`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape sequences are what is looked for
export const SGR = /\u001b\[[0-9;]*m/g;
/** The progress line's erase: carriage return, then erase the line. */
export const ERASE = "\r\u001b[2K";
