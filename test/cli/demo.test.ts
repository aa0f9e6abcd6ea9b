import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cleanEnv, ROOT } from "./spawn-cli.js";

// `npm start` runs examples/demo.ts: it must work offline, show each step, exit 0 and leave nothing open.
describe("npm start (examples/demo.ts)", { timeout: 40_000 }, () => {
  it("runs the offline demo end to end and exits 0", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "examples/demo.ts"], {
      cwd: ROOT,
      env: cleanEnv(),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    try {
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toContain("model: 12 * 7 = 84");
      expect(stdout).toContain("model: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10.");
      expect(stdout).toContain("model: Your name is Ada.");
      expect(stdout).toContain('model calls get_weather({"city":"Paris","unit":"fahrenheit"})');
      expect(stdout).toMatch(/model: Here is what I found: get_weather .*temperature: 64/);
    } finally {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
