import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Variables of the machine running the tests that would change what the CLI prints. */
const NOT_INHERITED = new Set(["NO_COLOR", "FORCE_COLOR", "PORT", "OPENAI_BASE_URL", "OPENAI_API_KEY"]);

/** The environment without any OPENRESPONSES_* (or colour, PORT, OPENAI_*) variable of the test machine. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith("OPENRESPONSES_") && !NOT_INHERITED.has(key)) env[key] = value;
  return { ...env, ...extra };
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs the CLI to completion, killed after `timeoutMs` whatever happens. */
export async function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = startCli(args, options.env ?? cleanEnv());
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.stdin?.end(options.input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s])),
    );
    return { code, signal, stdout, stderr };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

/**
 * Starts `openresponses serve --port 0 ...` and resolves once it printed its URL. With `port: false` no
 * `--port` is passed (the environment's PORT decides).
 */
export async function startServe(
  extraArgs: string[] = [],
  timeoutMs = 30_000,
  options: { env?: NodeJS.ProcessEnv; port?: false } = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const portArgs = options.port === false ? [] : ["--port", "0"];
  const child = startCli(["serve", ...portArgs, ...extraArgs], options.env ?? cleanEnv());
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve did not start in time: ${output}`));
    }, timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const found = /Serving the built-in model at (http:\/\/\S+?)\/v1/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on("exit", () => {
      clearTimeout(timer);
      reject(new Error(`serve exited early: ${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** Stops a child with SIGTERM (SIGKILL after a grace period) and resolves with its exit code. */
export async function stop(child: ChildProcess, graceMs = 5_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}
