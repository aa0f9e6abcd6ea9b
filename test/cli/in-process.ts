/**
 * Running the CLI in this process for tests: any command with captured output and a Ctrl-C of its own,
 * and `serve` started on a free port and waited for until it listens.
 */

import { PassThrough } from "node:stream";
import { expect } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `openresponses ...args` in this process, with captured output; `stop()` plays the role of Ctrl-C. */
export function runInProcess(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string } = {},
): { done: Promise<InProcessResult>; stop: () => void; stdout: () => string } {
  let stdout = "";
  let stderr = "";
  const out = new PassThrough();
  const err = new PassThrough();
  out.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  err.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const stdin = new PassThrough();
  stdin.end(options.input ?? "");
  const stopListeners = new Set<() => void>();
  const io: CliIO = {
    stdout: out,
    stderr: err,
    stdin,
    env: options.env ?? {},
    onStop(listener) {
      stopListeners.add(listener);
      return () => stopListeners.delete(listener);
    },
  };
  const done = main(args, io).then((code) => ({ code, stdout, stderr }));
  return {
    done,
    stop: () => {
      for (const listener of [...stopListeners]) listener();
    },
    stdout: () => stdout,
  };
}

export interface ServeRun {
  /** The server's origin, `http://127.0.0.1:<port>`. */
  url: string;
  /** Its base URL, `<url>/v1`. */
  baseURL: string;
  /** What it has printed on stdout so far. */
  output(): string;
  /** Stops it (Ctrl-C) and resolves with how it exited. */
  stop(): Promise<InProcessResult>;
}

/**
 * Starts `openresponses serve --port 0 ...args` in this process and resolves once it listens, with its
 * URL read from the start-up "try:" line (the first line names an upstream's URL too). Bounded: it
 * fails at once if serve exits first, and after 10 s if serve never says where it listens.
 */
export async function startServe(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<ServeRun> {
  const running = runInProcess(["serve", "--port", "0", ...args], { env });
  const pattern = /OPENRESPONSES_BASE_URL=(http:\/\/\S+)\/v1/;
  for (let waited = 0; !pattern.test(running.stdout()) && waited < 10_000; waited += 10) {
    const early = await Promise.race([running.done, new Promise((r) => setTimeout(r, 10, null))]);
    if (early) throw new Error(`serve exited early: ${JSON.stringify(early)}`);
  }
  const url = pattern.exec(running.stdout())?.[1];
  if (url === undefined) throw new Error(`serve did not start: ${running.stdout()}`);
  return {
    url,
    baseURL: `${url}/v1`,
    output: running.stdout,
    stop: () => {
      running.stop();
      return running.done;
    },
  };
}

/** Stops `server`: it must exit 0 (so it must have started), and `secret` is nowhere in its output. */
export async function stopServe(server: ServeRun | undefined, secret?: string): Promise<void> {
  const result = await server?.stop();
  expect(result?.code).toBe(0);
  if (secret !== undefined) expect(`${result?.stdout}${result?.stderr}`).not.toContain(secret);
}
