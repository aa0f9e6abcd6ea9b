/** `openresponses serve --ws-idle-timeout S --ws-max-connections N`: WebSocket mode's limits. */

import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { runInProcess } from "./in-process.js";

async function startServe(args: string[]) {
  const running = runInProcess(["serve", "--port", "0", ...args]);
  for (let waited = 0; !/Serving/.test(running.stdout()) && waited < 10_000; waited += 20) {
    const early = await Promise.race([running.done, new Promise((r) => setTimeout(r, 20, null))]);
    if (early) throw new Error(`serve exited early: ${JSON.stringify(early)}`);
  }
  const url = /at (http:\/\/\S+)\/v1/.exec(running.stdout())?.[1];
  if (!url) throw new Error(`serve did not start: ${running.stdout()}`);
  return {
    ws: `${url.replace("http", "ws")}/v1/responses`,
    stop: async () => {
      running.stop();
      return running.done;
    },
  };
}

/** Opens a socket; resolves with how it ended: closed (and when), or refused with an HTTP status. */
function attempt(url: string): Promise<{ ws: WebSocket; opened: boolean; status?: number }> {
  const ws = new WebSocket(url);
  return new Promise((resolve) => {
    ws.once("open", () => resolve({ ws, opened: true }));
    ws.once("unexpected-response", (_request, response) => {
      resolve({ ws, opened: false, status: response.statusCode ?? 0 });
      response.resume();
    });
    ws.once("error", () => resolve({ ws, opened: false }));
  });
}

describe("openresponses serve: WebSocket limits", { timeout: 20_000 }, () => {
  it("--ws-max-connections 1: a second connection gets 503; --ws-idle-timeout 1 ends an idle one", async () => {
    const server = await startServe(["--ws-max-connections", "1", "--ws-idle-timeout", "1"]);
    try {
      const first = await attempt(server.ws);
      expect(first.opened).toBe(true);
      const started = Date.now();
      const closed = new Promise<number>((resolve) => first.ws.once("close", (code) => resolve(code)));
      const second = await attempt(server.ws);
      expect(second.status).toBe(503);
      expect(await closed).toBe(1000);
      expect(Date.now() - started).toBeLessThan(8000);
      // The idle one is gone, so there is room again.
      const third = await attempt(server.ws);
      expect(third.opened).toBe(true);
      third.ws.terminate();
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
  });

  it("refuses a limit that is not a positive integer", async () => {
    const result = await runInProcess(["serve", "--port", "0", "--ws-idle-timeout", "0"]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--ws-idle-timeout");
  });
});
