/** `openresponses serve --ws-idle-timeout S --ws-max-connections N`: WebSocket mode's limits. */

import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { runInProcess, type ServeRun, startServe } from "./in-process.js";

/** The WebSocket mode URL of a server started by `startServe`. */
const wsURL = (server: ServeRun) => `${server.baseURL.replace("http", "ws")}/responses`;

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
      const first = await attempt(wsURL(server));
      expect(first.opened).toBe(true);
      const started = Date.now();
      const closed = new Promise<number>((resolve) => first.ws.once("close", (code) => resolve(code)));
      const second = await attempt(wsURL(server));
      expect(second.status).toBe(503);
      expect(await closed).toBe(1000);
      expect(Date.now() - started).toBeLessThan(8000);
      // The idle one is gone, so there is room again.
      const third = await attempt(wsURL(server));
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
