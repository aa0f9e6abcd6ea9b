import { PassThrough } from "node:stream";
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
