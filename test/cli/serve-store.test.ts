import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/args.js";
import { loadOptional, parseStoreSpec, StoreOpenError } from "../../src/cli/store-url.js";
import { redactSecrets } from "../../src/internal/redact.js";
import { closedPort, runCli, startServe, stop } from "./spawn-cli.js";

describe("serve --store: reading the URL", () => {
  it("takes redis:// and rediss:// URLs, and never prints their password", () => {
    expect(parseStoreSpec("redis://127.0.0.1:6379", "/srv")).toMatchObject({
      kind: "redis",
      target: "redis://127.0.0.1:6379",
    });
    const secret = parseStoreSpec("rediss://:s3cret-pass@cache.example:6380/2", "/srv");
    expect(secret.kind).toBe("redis");
    expect(secret.target).toContain("s3cret-pass");
    expect(secret.description).not.toContain("s3cret-pass");
    expect(secret.description).toContain("cache.example:6380/2");
  });

  it("takes a redis:// password that is not valid percent-encoding, and still never prints it", () => {
    const spec = parseStoreSpec("redis://:%zz-s3cret-pass@cache.example:6379", "/srv");
    expect(spec.kind).toBe("redis");
    expect(spec.description).not.toContain("s3cret-pass");
    expect(redactSecrets("AUTH %zz-s3cret-pass")).not.toContain("s3cret-pass");
  });

  it("takes file:<dir>, file:///abs and a plain directory, resolved from the working directory", () => {
    expect(parseStoreSpec("file:./data", "/srv")).toMatchObject({
      kind: "file",
      target: resolve("/srv/data"),
    });
    expect(parseStoreSpec("file:///var/lib/or", "/srv")).toMatchObject({
      kind: "file",
      target: "/var/lib/or",
    });
    expect(parseStoreSpec("data/responses", "/srv")).toMatchObject({
      kind: "file",
      target: resolve("/srv/data/responses"),
    });
    expect(parseStoreSpec("memory:", "/srv").kind).toBe("memory");
  });

  it("a scheme it does not know is a usage error that echoes only the scheme", () => {
    expect(() => parseStoreSpec("postgres://user:pw-123456@db/x", "/srv")).toThrow(UsageError);
    expect(() => parseStoreSpec("postgres://user:pw-123456@db/x", "/srv")).toThrow(/"postgres:…"/);
    try {
      parseStoreSpec("postgres://user:pw-123456@db/x", "/srv");
    } catch (error) {
      expect(String(error)).not.toContain("pw-123456");
    }
    expect(() => parseStoreSpec("redis://", "/srv")).toThrow(UsageError);
  });
});

describe("serve --store: the optional packages", () => {
  const missing = () =>
    Promise.reject(
      Object.assign(new Error("Cannot find package 'unstorage'"), { code: "ERR_MODULE_NOT_FOUND" }),
    );

  it("a driver that is not installed is one sentence naming what to install", async () => {
    const redis = parseStoreSpec("redis://127.0.0.1:6379", "/srv");
    await expect(loadOptional(missing, redis)).rejects.toThrow(StoreOpenError);
    await expect(loadOptional(missing, redis)).rejects.toThrow("npm install unstorage ioredis");
    await expect(loadOptional(missing, parseStoreSpec("file:./x", "/srv"))).rejects.toThrow(
      /needs the optional package unstorage: npm install unstorage$/,
    );
  });

  it("any other failure while loading is not disguised as a missing package", async () => {
    const broken = () => Promise.reject(new SyntaxError("Unexpected token"));
    await expect(loadOptional(broken, parseStoreSpec("file:./x", "/srv"))).rejects.toThrow(SyntaxError);
  });
});

describe("openresponses serve --store (spawned)", () => {
  const dir = mkdtempSync(join(tmpdir(), "openresponses-serve-store-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 2 on a store URL it cannot read, and 1 with one line when the store cannot be reached", async () => {
    const usage = await runCli(["serve", "--port", "0", "--store", "mysql://x"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--store takes redis://");

    const port = await closedPort();
    const started = performance.now();
    const down = await runCli([
      "serve",
      "--port",
      "0",
      "--store",
      `redis://:hunter2-secret@127.0.0.1:${port}`,
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot use the store redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect(down.stderr).not.toContain("hunter2-secret");
    expect(down.stderr.trim().split("\n")).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(25_000);
  }, 40_000);

  it("two servers on one directory continue each other's conversations (file: store)", async () => {
    const first = await startServe(["--store", `file:${dir}`]);
    const second = await startServe(["--store", dir]);
    try {
      expect(first.output()).toContain(`responses are stored in ${dir}`);
      const post = async (base: string, body: object) => {
        const response = await fetch(`${base}/v1/responses`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(200);
        return (await response.json()) as {
          id: string;
          output: Array<{ content?: Array<{ text?: string }> }>;
        };
      };
      const one = await post(first.url, { input: "My name is Ada." });
      const two = await post(second.url, { input: "What is my name?", previous_response_id: one.id });
      expect(two.output[0]?.content?.[0]?.text).toContain("Ada");
      expect(readdirSync(dir, { recursive: true }).length).toBeGreaterThan(0);
    } finally {
      await stop(first.child);
      await stop(second.child);
    }
  }, 60_000);

  it("--help documents --store", async () => {
    const help = await runCli(["serve", "--help"]);
    expect(help.stdout).toContain("--store <url>");
    expect(help.stdout).toContain("redis://");
  });
});
