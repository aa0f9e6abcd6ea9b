/**
 * Runs a fixture server in a child process with a small heap (`--max-old-space-size`), so a defect whose
 * failure mode is an out-of-memory crash kills the child, not the test runner. The fixture prints one
 * JSON line per report on stdout; the first carries `url`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface ChildReport {
  url?: string;
  heapUsed?: number;
  [key: string]: unknown;
}

export interface FixtureChild {
  child: ChildProcess;
  url: string;
  /** Every report printed so far, oldest first. */
  reports: ChildReport[];
  /** Whether the child has exited (and how). */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  stderr(): string;
  stop(): Promise<void>;
  /**
   * Asks the fixture for a full garbage collection and resolves with the report it makes after it: the
   * memory still alive, without the garbage V8 has not yet had a reason to collect (an idle server
   * makes none). Only fixtures that read their stdin answer (websocket-server.ts).
   */
  collect(): Promise<ChildReport>;
}

export async function startFixture(
  fixture: string,
  options: { heapMb: number; env?: Record<string, string>; timeoutMs?: number },
): Promise<FixtureChild> {
  const path = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${options.heapMb}`, "--expose-gc", "--import", "tsx", path],
    { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] },
  );
  const reports: ChildReport[] = [];
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let stderr = "";
  let buffer = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.on("exit", (code, signal) => {
    exit = { code, signal };
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`fixture did not start: ${stderr}`)),
      options.timeoutMs ?? 30_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          const report = JSON.parse(line) as ChildReport;
          reports.push(report);
          if (typeof report.url === "string") {
            clearTimeout(timer);
            resolve(report.url);
          }
        } catch {
          // Not a report line.
        }
        newline = buffer.indexOf("\n");
      }
    });
    child.on("exit", () => reject(new Error(`fixture exited before starting: ${stderr}`)));
  });
  return {
    child,
    url,
    reports,
    exited: () => exit,
    stderr: () => stderr,
    collect: () => {
      const seen = reports.length;
      child.stdin?.write("collect\n");
      return new Promise<ChildReport>((resolve, reject) => {
        const deadline = Date.now() + 5000;
        const poll = () => {
          const report = reports.slice(seen).find((candidate) => candidate.collected === true);
          if (report) resolve(report);
          else if (exit !== null || Date.now() > deadline)
            reject(new Error(`no report after a collection: ${stderr}`));
          else setTimeout(poll, 20);
        };
        poll();
      });
    },
    stop: async () => {
      if (exit !== null) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await gone;
    },
  };
}

/** Waits until `check` holds, polling every 20 ms; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
