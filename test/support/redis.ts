/**
 * A throwaway Redis for the store tests: Debian's `redis-server` on a free loopback port, with no
 * persistence (`--save ''`, `--appendonly no`), so it leaves nothing behind. Pair with
 * `describeWith(needs.redis(), ...)`.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { closedPort } from "../cli/spawn-cli.js";

export const REDIS_SERVER_PATH = "/usr/bin/redis-server";

export interface RedisServer {
  port: number;
  url: string;
  child: ChildProcess;
  /** Stops it (SIGTERM, SIGKILL after a grace period) and resolves once it exited. */
  stop(): Promise<void>;
}

/** Starts `redis-server` on `port` (a free one by default) and resolves once it accepts connections. */
export async function startRedis(port?: number, timeoutMs = 10_000): Promise<RedisServer> {
  const chosen = port ?? (await closedPort());
  const child = spawn(
    REDIS_SERVER_PATH,
    [
      "--port",
      String(chosen),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-server did not start within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before it was ready: ${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { port: chosen, url: `redis://127.0.0.1:${chosen}`, child, stop };
}
