/**
 * Redaction removes credentials, not prose: "Token limit exceeded ... Basic plan allows" reaches the user
 * intact through the one redactor's three users (client errors, the kit's wire errors, `check` findings),
 * while keys in use and credential-shaped values are still scrubbed. The registry of keys is bounded.
 */

import { describe, expect, it } from "vitest";
import { FindingList } from "../../src/cli/check/findings.js";
import { OpenResponses } from "../../src/client/index.js";
import { APIError } from "../../src/errors.js";
import {
  MAX_REGISTERED_SECRETS,
  redactSecrets,
  registeredSecretCount,
  registerSecret,
} from "../../src/internal/redact.js";
import { createResponsesHandler } from "../../src/server/index.js";

const PROSE =
  "Token limit exceeded: the Basic plan allows 1000 tokens. Bearer token required. Authorization: missing";

describe("redactSecrets keeps prose and removes credential shapes", () => {
  it("leaves the word after Token, Basic, Bearer and Authorization alone when it is a word", () => {
    expect(redactSecrets(PROSE)).toBe(PROSE);
    expect(redactSecrets("Basic authentication is not enabled; basic response; Token budget")).toBe(
      "Basic authentication is not enabled; basic response; Token budget",
    );
  });

  it("leaves ids and paths alone (hex ids, URLs, file paths)", () => {
    const text =
      "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b not found at http://127.0.0.1:8080/v1/responses (/work/src/Client2/ResponsesModule.ts)";
    expect(redactSecrets(text)).toBe(text);
  });

  it("scrubs credential-shaped values: Bearer/Token tokens, Basic base64, header values, prefixed keys, long mixed tokens", () => {
    const cases: Array<[string, string]> = [
      ["Authorization: Bearer abc123DEF456ghi", "Authorization: Bearer [redacted]"],
      ["Token 9f8e7d6c5b4a39281706", "Token [redacted]"],
      ["Basic dXNlcjpwYXNzd29yZA==", "Basic [redacted]"],
      ["Basic dXNlcjpwYXNz", "Basic [redacted]"],
      ["x-api-key: 0123abcdWXYZ9876", "x-api-key: [redacted]"],
      ['"api_key":"k3yV4lu3Secret"', '"api_key":"[redacted]"'],
      ["key sk-proj-abcdefghijkl", "key [redacted]"],
      ["jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", "jwt [redacted]"],
      ["raw Zk9vQmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdo end", "raw [redacted] end"],
    ];
    for (const [input, expected] of cases) expect(redactSecrets(input)).toBe(expected);
  });

  it("a huge text (a long partial response, a hostile header) is scanned without a stack overflow", () => {
    const huge = `${"x".repeat(8 * 1024 * 1024)} Bearer ${"a1".repeat(500_000)} Basic ${"QUJD".repeat(100_000)}`;
    const out = redactSecrets(huge);
    expect(out.startsWith("x".repeat(1000))).toBe(true);
    expect(out).toContain("Bearer [redacted]");
  });

  it("scrubs a registered key in use even when it looks like a word", () => {
    registerSecret("gatewaypassphrase");
    expect(redactSecrets("sent gatewaypassphrase")).toBe("sent [redacted]");
  });
});

describe("the registry of keys is bounded", () => {
  it("an apiKey function that returns a fresh token per request does not grow it; the key in use is still scrubbed", async () => {
    let counter = 0;
    let lastKey = "";
    const client = new OpenResponses({
      baseURL: "http://127.0.0.1:1/v1",
      maxRetries: 0,
      apiKey: () => {
        counter += 1;
        lastKey = `fresh-token-${counter}-${"x".repeat(40)}`;
        return lastKey;
      },
      // The server echoes the credential it was sent in its error message.
      fetch: async (_url, init) => {
        const auth = new Headers(init.headers).get("authorization") ?? "";
        return new Response(JSON.stringify({ error: { message: `bad credential ${auth.slice(7)}` } }), {
          status: 400,
          headers: { "content-type": "application/json" },
        });
      },
    });
    for (let i = 0; i < 3 * MAX_REGISTERED_SECRETS; i++) {
      await client.responses.create({ model: "m", input: "x" }).catch(() => undefined);
    }
    expect(registeredSecretCount()).toBeLessThanOrEqual(MAX_REGISTERED_SECRETS);
    const error = await client.responses.create({ model: "m", input: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).not.toContain(lastKey);
    expect((error as APIError).message).toContain("[redacted]");
  });

  it("20 000 distinct tokens keep at most MAX_REGISTERED_SECRETS, and redaction stays fast", () => {
    for (let i = 0; i < 20_000; i++) registerSecret(`token-number-${i}-abcdefgh`);
    expect(registeredSecretCount()).toBe(MAX_REGISTERED_SECRETS);
    expect(redactSecrets("x token-number-19999-abcdefgh y")).toBe("x [redacted] y");
    expect(redactSecrets("x token-number-0-abcdefgh y")).toBe("x token-number-0-abcdefgh y");
    const started = performance.now();
    for (let i = 0; i < 2000; i++) redactSecrets("a short error message from a server, nothing secret");
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("the three users of the redactor keep prose", () => {
  it("client errors: a 429 message reaches the user intact", async () => {
    const client = new OpenResponses({
      baseURL: "http://127.0.0.1:1/v1",
      apiKey: "sk-prose-test-key-0123456789",
      maxRetries: 0,
      fetch: async () =>
        new Response(JSON.stringify({ error: { message: PROSE, type: "rate_limit", code: "tokens" } }), {
          status: 429,
          headers: { "content-type": "application/json" },
        }),
    });
    const error = (await client.responses
      .create({ model: "m", input: "x" })
      .catch((e: unknown) => e)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toContain(PROSE);
  });

  it("the kit's errors on the wire: a model's failure message reaches the client intact", async () => {
    const handler = createResponsesHandler({
      // biome-ignore lint/correctness/useYield: a model that fails before its first part
      model: async function* () {
        throw new Error(PROSE);
      },
    });
    const answer = await handler(
      new Request("http://kit.test/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", input: "x" }),
      }),
    );
    const text = await answer.text();
    expect(text).toContain(PROSE);
    expect(text).not.toContain("[redacted]");
  });

  it("check findings: a label like 'basic response' is kept", () => {
    const findings = new FindingList();
    findings.fail("H3", "basic response: Token limit exceeded", "Basic plan");
    expect(findings.items[0]?.message).toBe("basic response: Token limit exceeded");
    expect(findings.items[0]?.evidence).toBe("Basic plan");
  });
});
