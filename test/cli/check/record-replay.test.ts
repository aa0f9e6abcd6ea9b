/**
 * `--record DIR` writes each scenario's raw exchange; the client replays such a recording through
 * `ResponseStream` and rebuilds the same response. `--junit FILE` writes a report a CI can read.
 */

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScenarioRecording } from "../../../src/cli/check/recorder.js";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { ResponseStream } from "../../../src/streaming/index.js";
import { type BrokenServer, brokenServer, toSSE } from "./broken-server.js";
import { runCheckJSON } from "./support.js";

describe("check --record and --junit", () => {
  let server: RunningServer;
  let dir = "";

  beforeAll(async () => {
    server = await serve({
      handler: createResponsesHandler({ model: mockModel(), apiKey: "sk-record-secret" }),
      port: 0,
      host: "127.0.0.1",
    });
    dir = await mkdtemp(join(tmpdir(), "openresponses-check-"));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("records the request, the response headers and the SSE bytes, without the credential, and the client replays them", async () => {
    const { code } = await runCheckJSON([
      "--base-url",
      `${server.url}/v1`,
      "--api-key",
      "sk-record-secret",
      "--only",
      "streaming-response,ws-response",
      "--record",
      dir,
    ]);
    expect(code).toBe(0);
    const text = await readFile(join(dir, "streaming-response.json"), "utf8");
    expect(text).not.toContain("sk-record-secret");
    const recording = JSON.parse(text) as ScenarioRecording;
    const exchange = recording.exchanges[0];
    if (exchange?.transport !== "http" || !exchange.response) throw new Error("no HTTP exchange recorded");
    expect(exchange.request.headers.authorization).toBe("[redacted]");
    expect((exchange.request.body as { stream?: boolean }).stream).toBe(true);
    expect(exchange.response.headers["content-type"]).toMatch(/^text\/event-stream/);

    const replay = ResponseStream.fromSSEResponse(
      new Response(exchange.response.body, { headers: exchange.response.headers }),
    );
    const final = await replay.finalResponse();
    expect(replay.violations).toEqual([]);
    expect(final.status).toBe("completed");
    const terminal = exchange.response.body
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)) as { type: string; response?: { id: string } })
      .find((event) => event.type === "response.completed");
    expect(final.id).toBe(terminal?.response?.id);

    const ws = JSON.parse(await readFile(join(dir, "ws-response.json"), "utf8")) as ScenarioRecording;
    const session = ws.exchanges[0];
    if (session?.transport !== "websocket") throw new Error("no WebSocket session recorded");
    expect(session.frames[0]?.direction).toBe("sent");
    expect(JSON.parse(session.frames[0]?.data ?? "{}").type).toBe("response.create");
    const received = session.frames
      .filter((frame) => frame.direction === "received")
      .map((frame) => ({ data: frame.data }));
    async function* messages() {
      yield* received;
    }
    const wsReplay = ResponseStream.fromMessages(messages());
    expect((await wsReplay.finalResponse()).status).toBe("completed");
  });
});

describe("check --junit", () => {
  let broken: BrokenServer;
  let dir = "";
  beforeAll(async () => {
    broken = await brokenServer({ sse: (events) => toSSE(events, { done: false }) });
    dir = await mkdtemp(join(tmpdir(), "openresponses-junit-"));
  });
  afterAll(async () => {
    await broken.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("one testcase per scenario, the broken rule in a <failure>, skips as <skipped>", async () => {
    const file = join(dir, "check.xml");
    const { code } = await runCheckJSON([
      "--base-url",
      broken.url,
      "--only",
      "streaming-response,basic-response,auth-required",
      "--junit",
      file,
    ]);
    expect(code).toBe(1);
    const xml = await readFile(file, "utf8");
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="openresponses check" tests="3" failures="1" errors="0" skipped="1"/,
    );
    expect(xml).toContain('<testcase name="basic-response" classname="openresponses.check.http"');
    expect(xml).toMatch(
      /<testcase name="streaming-response"[^>]*>\n\s*<failure message="MUST broken: S3" type="S3">S3: streaming response: the stream did not end with data: \[DONE\]\./,
    );
    expect(xml).toMatch(/<testcase name="auth-required"[^>]*>\n\s*<skipped message="no --api-key given/);
  });
});
