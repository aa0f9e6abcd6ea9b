/** `openresponses serve --cors [ORIGIN]`: pages on other origins may call the built-in model. */

import { describe, expect, it } from "vitest";
import { runInProcess, startServe } from "./in-process.js";

function preflight(url: string, origin: string) {
  return fetch(`${url}/v1/responses`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
}

describe("openresponses serve --cors", { timeout: 20_000 }, () => {
  it("without --cors a preflight is refused (405) and no page may read the answers", async () => {
    const server = await startServe([]);
    try {
      const answer = await preflight(server.url, "https://app.example");
      expect(answer.status).toBe(405);
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await server.stop();
    }
  });

  it("--cors alone lets a page on any origin call it: preflight and POST carry the CORS headers", async () => {
    const server = await startServe(["--cors"]);
    try {
      expect(server.output()).toMatch(/CORS: pages on any origin/);
      const answer = await preflight(server.url, "https://app.example");
      expect(answer.status).toBe(204);
      expect(answer.headers.get("access-control-allow-origin")).toBe("*");
      expect(answer.headers.get("access-control-allow-headers")).toContain("authorization");
      const created = await fetch(`${server.url}/v1/responses`, {
        method: "POST",
        headers: { origin: "https://app.example", "content-type": "application/json" },
        body: JSON.stringify({ model: "m", input: "hi" }),
      });
      expect(created.status).toBe(200);
      expect(created.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await server.stop();
    }
  });

  it("--cors ORIGIN (repeatable, or comma-separated) admits only those origins", async () => {
    const server = await startServe([
      "--cors",
      "https://a.example,https://b.example",
      "--cors=https://c.example",
    ]);
    try {
      for (const origin of ["https://a.example", "https://b.example", "https://c.example"]) {
        const answer = await preflight(server.url, origin);
        expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
      }
      const other = await preflight(server.url, "https://evil.example");
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await server.stop();
    }
  });

  it("--cors followed by another flag still means any origin", async () => {
    const server = await startServe(["--cors", "--delay", "0"]);
    try {
      const answer = await preflight(server.url, "https://app.example");
      expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await server.stop();
    }
  });

  it("a value that is not an origin is a usage error naming the flag (exit 2)", async () => {
    for (const bad of ["app.example", "https://app.example/path", "ftp://x"]) {
      const result = await runInProcess(["serve", "--port", "0", "--cors", bad]).done;
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--cors");
      expect(result.stderr).toContain(bad);
    }
  });
});
