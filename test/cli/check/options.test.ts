import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS } from "../../../src/cli/check/scenarios/index.js";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { runInProcess } from "../in-process.js";
import { runCheckJSON } from "./support.js";

describe("openresponses check: selecting scenarios and authenticating", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve({
      handler: createResponsesHandler({ model: mockModel(), apiKey: "sk-options" }),
      port: 0,
      host: "127.0.0.1",
    });
  });
  afterAll(() => server.close());

  it("--list prints every scenario once; --transport, --only and --skip select", async () => {
    const list = await runInProcess(["check", "--list"]).done;
    expect(
      list.stdout
        .trim()
        .split("\n")
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(SCENARIOS.map((scenario) => scenario.id));
    const ws = await runInProcess(["check", "--list", "--transport", "websocket", "--skip", "ws-sequential"])
      .done;
    const ids = ws.stdout
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/)[0]);
    expect(ids).toEqual(
      SCENARIOS.filter((s) => s.transport === "websocket" && s.id !== "ws-sequential").map((s) => s.id),
    );
  });

  it("--auth-header carries the key in another header; --header adds one; the key is in no output", async () => {
    const viaHeader = await runCheckJSON([
      "--base-url",
      `${server.url}/v1`,
      "--api-key",
      "sk-options",
      "--auth-header",
      "api-key",
      "--only",
      "basic-response,ws-response",
    ]);
    expect(viaHeader.report.scenarios.map((scenario) => scenario.status)).toEqual(["pass", "pass"]);
    const viaRawHeader = await runCheckJSON([
      "--base-url",
      `${server.url}/v1`,
      "--header",
      "Authorization: Bearer sk-options",
      "--only",
      "basic-response",
    ]);
    expect(viaRawHeader.report.scenarios[0]?.status).toBe("pass");
    expect(JSON.stringify(viaHeader.report)).not.toContain("sk-options");
  });

  it("usage errors: a bad --header, --dialect, --timeout or a base URL with a password", async () => {
    for (const args of [
      ["--header", "no colon here"],
      ["--dialect", "klingon"],
      ["--timeout", "soon"],
      ["--base-url", "http://user:pw@127.0.0.1:1/v1"],
    ]) {
      const result = await runInProcess(["check", ...args]).done;
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).not.toContain("pw@");
    }
  });
});
