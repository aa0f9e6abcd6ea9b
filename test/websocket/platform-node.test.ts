/**
 * The platform-WebSocket path for real: Node's built-in (undici) WebSocket, enabled on Node 20 with
 * `--experimental-websocket` (Node 22+ has it by default), sends the key in a header via its init object.
 * On Node the client prefers `ws`; `--conditions=browser` maps `#ws` to its stand-in, as a bundle
 * without `ws` would, so the platform WebSocket is the one used.
 */

import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scriptedModel, startWsServer } from "./helpers.js";

const fixture = fileURLToPath(new URL("./fixtures/platform-client.mts", import.meta.url));

function run(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--experimental-websocket", "--conditions=browser", "--no-warnings", "--import", "tsx", fixture],
      { env: { ...process.env, ...env }, timeout: 15_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

describe("platform WebSocket (undici)", () => {
  it("W1: a turn runs over Node's own WebSocket with the key in a header", async () => {
    const key = "sk-platform-test-0123456789";
    const server = await startWsServer(
      scriptedModel(() => [{ type: "text", delta: "via undici" }]),
      {
        apiKey: key,
      },
    );
    try {
      const output = await run({ OR_URL: server.url, OR_KEY: key });
      expect(JSON.parse(output.trim())).toEqual({ platform: true, text: "via undici" });
    } finally {
      await server.close();
    }
  });
});
