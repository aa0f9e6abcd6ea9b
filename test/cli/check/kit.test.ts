import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS } from "../../../src/cli/check/scenarios/index.js";
import { createResponsesHandler, type RunningServer, serve } from "../../../src/server/index.js";
import { mockModel } from "../../../src/server/mock/index.js";
import { failures, runCheckJSON } from "./support.js";

// Each test is one or two whole check runs: 1–5 s, but past the default 20 s when the machine's cores
// are shared by many processes. A scenario that hangs still fails, named, at its own 30 s deadline.
describe("openresponses check against the kit's own server: zero false failures", { timeout: 60_000 }, () => {
  let server: RunningServer;
  let openai: RunningServer;
  let url = "";

  beforeAll(async () => {
    server = await serve({
      handler: createResponsesHandler({ model: mockModel(), apiKey: "sk-check-kit" }),
      port: 0,
      host: "127.0.0.1",
    });
    openai = await serve({
      handler: createResponsesHandler({ model: mockModel(), dialect: "openai" }),
      port: 0,
      host: "127.0.0.1",
    });
    url = `${server.url}/v1`;
  });
  afterAll(async () => {
    await server.close();
    await openai.close();
  });

  it("every scenario, HTTP and WebSocket, passes (spec dialect)", async () => {
    const { report, code } = await runCheckJSON([
      "--base-url",
      url,
      "--api-key",
      "sk-check-kit",
      "--model",
      "openresponses-mock",
    ]);
    expect(report.scenarios.map((scenario) => scenario.id)).toEqual(SCENARIOS.map((scenario) => scenario.id));
    expect(failures(report)).toEqual([]);
    expect(
      report.scenarios
        .filter((scenario) => scenario.status !== "pass")
        .map((scenario) => [scenario.id, scenario.status, scenario.reason]),
    ).toEqual([]);
    expect(code).toBe(0);
    // The credential never reaches the report.
    expect(JSON.stringify(report)).not.toContain("sk-check-kit");
  });

  it("the kit's openai dialect: no failure; its reasoning names are S7 warnings, with or without --dialect openai", async () => {
    for (const extra of [[], ["--dialect", "openai"]]) {
      const { report, code } = await runCheckJSON([
        "--base-url",
        `${openai.url}/v1`,
        "--model",
        "openresponses-mock",
        ...extra,
      ]);
      expect(failures(report)).toEqual([]);
      expect(report.summary.rules_warned).toEqual(["S7"]);
      const warned = report.scenarios
        .filter((scenario) => scenario.status === "warn")
        .map((scenario) => scenario.id);
      expect(warned).toEqual(["streaming-reasoning"]);
      expect(
        report.scenarios
          .find((scenario) => scenario.id === "streaming-reasoning")
          ?.findings.map((finding) => finding.message),
      ).toEqual([
        '"response.reasoning_text.delta" is OpenAI\'s name; the specification names this event "response.reasoning.delta" (clients accept both: "Observed in the wild" in docs/rules.md).',
        '"response.reasoning_text.done" is OpenAI\'s name; the specification names this event "response.reasoning.done" (clients accept both: "Observed in the wild" in docs/rules.md).',
      ]);
      expect(code).toBe(0);
    }
  });

  it("E1: a request without the credential is judged on its 401 body, not counted as an E1 pass of a bad request", async () => {
    const { report } = await runCheckJSON([
      "--base-url",
      url,
      "--api-key",
      "sk-check-kit",
      "--only",
      "auth-required,malformed-request",
    ]);
    expect(report.scenarios.map((scenario) => [scenario.id, scenario.status])).toEqual([
      ["malformed-request", "pass"],
      ["auth-required", "pass"],
    ]);
    // Without the credential every scenario is skipped with the reason, not passed.
    // With nothing judged, the run proves nothing: exit code 2, not a compliant 0.
    const refused = await runCheckJSON(["--base-url", url, "--only", "basic-response,malformed-request"]);
    expect(refused.report.scenarios.map((scenario) => scenario.status)).toEqual(["skip", "skip"]);
    expect(refused.report.scenarios[0]?.reason).toMatch(/refused the credentials \(HTTP 401\)/);
    expect(refused.report.summary.compliant).toBe(false);
    expect(refused.stderr).toMatch(
      /^openresponses check: nothing could be checked \(the server refused the credentials/,
    );
    expect(refused.code).toBe(2);
    // A wrong key: auth-required still passes (it leaves the key out), but the run is no pass.
    const wrong = await runCheckJSON([
      "--base-url",
      url,
      "--api-key",
      "sk-not-the-key-000000",
      "--only",
      "basic-response,auth-required",
    ]);
    expect(wrong.report.scenarios.map((scenario) => scenario.status)).toEqual(["skip", "pass"]);
    expect(wrong.report.summary.credentials_refused).toBe(1);
    expect(wrong.report.summary.compliant).toBe(false);
    expect(wrong.stderr).toContain("the server refused the credentials in 1 of 2 scenarios");
    expect(wrong.code).toBe(2);
  });

  it("the built-in model (no --base-url) is checked the same way, over both transports", async () => {
    const { report } = await runCheckJSON(["--only", "streaming-response,ws-response"]);
    expect(report.server).toBe("the built-in model");
    expect(report.scenarios.map((scenario) => [scenario.id, scenario.status])).toEqual([
      ["streaming-response", "pass"],
      ["ws-response", "pass"],
    ]);
  });
});
