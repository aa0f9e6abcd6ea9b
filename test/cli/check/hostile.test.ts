/** A server that hangs, floods or drops the connection is reported, and check returns within its limits. */

import { afterEach, describe, expect, it } from "vitest";
import { type BrokenServer, brokenServer } from "./broken-server.js";
import { runCheckJSON } from "./support.js";

describe("check against hostile servers", () => {
  let server: BrokenServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("a stream that never ends: TIMEOUT and the S5 of a missing terminal event, within the scenario limit", async () => {
    server = await brokenServer({
      raw: (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(
          `event: response.created\ndata: ${JSON.stringify({ type: "response.created", sequence_number: 0 })}\n\n`,
        );
        return true; // and never another byte
      },
    });
    const started = Date.now();
    const { code, report } = await runCheckJSON([
      "--base-url",
      server.url,
      "--only",
      "streaming-response",
      "--timeout",
      "800",
    ]);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(report.summary.rules_failed).toEqual(["S5", "TIMEOUT"]);
    expect(code).toBe(1);
  });

  it("an answer that never comes, on every scenario: the total limit stops the run and skips the rest", async () => {
    server = await brokenServer({ raw: () => true });
    const started = Date.now();
    const { code, report } = await runCheckJSON([
      "--base-url",
      server.url,
      "--only",
      "basic-response,system-prompt,multi-turn,instructions",
      "--timeout",
      "500",
      "--total-timeout",
      "1200",
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.scenarios[0]?.findings.map((finding) => finding.rule)).toContain("TIMEOUT");
    expect(report.scenarios.at(-1)?.status).toBe("skip");
    expect(report.scenarios.at(-1)?.reason).toMatch(/total time limit/);
    expect(code).toBe(1);
  });

  it("a flood of events: TOO_LARGE once the cap is reached, without reading the rest", async () => {
    server = await brokenServer({
      raw: (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const line = `event: acme:noise\ndata: ${JSON.stringify({ type: "acme:noise", sequence_number: 1, pad: "x".repeat(1000) })}\n\n`;
        let sent = 0;
        // Bounded: at most 20 MB, far past the cap below.
        const pump = () => {
          while (sent < 20_000 && res.write(line)) sent++;
          if (sent < 20_000 && !res.destroyed) res.once("drain", pump);
          else res.end();
        };
        pump();
        return true;
      },
    });
    const started = Date.now();
    const { code, report } = await runCheckJSON([
      "--base-url",
      server.url,
      "--only",
      "streaming-response",
      "--max-bytes",
      "200000",
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.summary.rules_failed).toContain("TOO_LARGE");
    expect(code).toBe(1);
    const events = await runCheckJSON([
      "--base-url",
      server.url,
      "--only",
      "streaming-response",
      "--max-events",
      "50",
    ]);
    expect(
      events.report.scenarios[0]?.findings.find((finding) => finding.rule === "TOO_LARGE")?.message,
    ).toMatch(/50 events/);
  });

  it("a dropped connection mid-stream: NETWORK, and what came before it is still judged", async () => {
    server = await brokenServer({
      raw: (req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        // An event whose name differs from its type (S2), then the connection is cut.
        res.write(
          `event: wrong\ndata: ${JSON.stringify({ type: "response.created", sequence_number: 0, response: {} })}\n\n`,
          () => req.socket.destroy(),
        );
        return true;
      },
    });
    const { code, report } = await runCheckJSON(["--base-url", server.url, "--only", "streaming-response"]);
    const rules = report.scenarios[0]?.findings.map((finding) => finding.rule) ?? [];
    expect(rules).toContain("NETWORK");
    expect(rules).toContain("S2");
    expect(code).toBe(1);
  });

  it("a WebSocket that never answers a turn: TIMEOUT within the limit", async () => {
    server = await brokenServer({ wsClient: () => [] });
    const started = Date.now();
    const { code, report } = await runCheckJSON([
      "--base-url",
      server.url,
      "--only",
      "ws-response",
      "--timeout",
      "800",
    ]);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(report.summary.rules_failed).toEqual(["TIMEOUT"]);
    expect(code).toBe(1);
  });
});

describe("check against an HTTP-only server", () => {
  it("skips the WebSocket scenarios with the reason when the upgrade gets an HTTP answer", async () => {
    const { createServer } = await import("node:http");
    const plain = createServer((_req, res) => {
      res
        .writeHead(405, { "content-type": "application/json" })
        .end('{"error":{"message":"POST only","type":"invalid_request","param":null,"code":null}}');
    });
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = plain.address() as { port: number };
      const { report } = await runCheckJSON([
        "--base-url",
        `http://127.0.0.1:${port}/v1`,
        "--transport",
        "websocket",
        "--only",
        "ws-response,ws-sequential",
      ]);
      expect(report.scenarios.map((scenario) => scenario.status)).toEqual(["skip", "skip"]);
      expect(report.scenarios[0]?.reason).toBe(
        "the server has no WebSocket mode (the upgrade was answered with HTTP 405)",
      );
    } finally {
      plain.closeAllConnections();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});
