/**
 * Two `openresponses serve` processes sharing one real Redis (`--store redis://…`): a conversation that
 * alternates between them over HTTP and WebSocket, and what happens when Redis hangs or goes away.
 */

import type { ChildProcess } from "node:child_process";
import { createStorage } from "unstorage";
import redisDriver from "unstorage/drivers/redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OpenResponses } from "../../../src/client/index.js";
import { createKVStore } from "../../../src/server/index.js";
import type { ItemField } from "../../../src/spec/index.js";
import { startServe, stop } from "../../cli/spawn-cli.js";
import { describeWith, needs } from "../../support/needs.js";
import { REDIS_SERVER_PATH, type RedisServer, startRedis } from "../../support/redis.js";

interface Answer {
  status: number;
  body: {
    id?: string;
    store?: boolean;
    output?: ItemField[];
    error?: { type: string; code: string | null; message: string; param: string | null };
  };
  ms: number;
}

async function turn(base: string, body: object): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${base}/v1/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "openresponses-mock", ...body }),
    signal: AbortSignal.timeout(15_000),
  });
  return {
    status: response.status,
    body: (await response.json()) as Answer["body"],
    ms: performance.now() - started,
  };
}

async function ok(base: string, body: object): Promise<{ id: string; output: ItemField[]; text: string }> {
  const answer = await turn(base, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const output = answer.body.output ?? [];
  return { id: answer.body.id ?? "", output, text: textOf(output) };
}

function textOf(output: ItemField[]): string {
  return output
    .flatMap((item) => (item.type === "message" ? item.content : []))
    .map((part) => ("text" in part ? part.text : ""))
    .join("");
}

/** Retries `attempt` every 200 ms until it stops throwing, for at most `ms`. */
async function eventually<T>(attempt: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describeWith(
  needs.binary(REDIS_SERVER_PATH, "apt-get install redis-server"),
  "serve --store redis:// (two replicas, one Redis)",
  () => {
    let redis: RedisServer;
    const replicas: Array<{ child: ChildProcess; url: string; output: () => string }> = [];
    let a = "";
    let b = "";

    beforeAll(async () => {
      redis = await startRedis();
      for (let i = 0; i < 2; i++) replicas.push(await startServe(["--store", redis.url]));
      a = replicas[0]?.url ?? "";
      b = replicas[1]?.url ?? "";
    }, 60_000);

    afterAll(async () => {
      for (const replica of replicas) await stop(replica.child);
      await redis?.stop();
    }, 30_000);

    const expectUp = () => {
      for (const replica of replicas) expect(replica.child.exitCode, replica.output()).toBeNull();
    };

    it("P1: a conversation alternates between the replicas (previous_response_id, item_reference, also across conversations)", async () => {
      const first = await ok(a, { input: "My name is Ada." });
      const second = await ok(b, { input: "What is my name?", previous_response_id: first.id });
      expect(second.text).toContain("Ada");

      const reply = second.output.find((item) => item.type === "message");
      const third = await ok(a, {
        previous_response_id: second.id,
        input: [
          { type: "item_reference", id: reply?.id },
          { type: "message", role: "user", content: "And what is my name again?" },
        ],
      });
      expect(third.text).toContain("Ada");

      // item_reference without any chain: an item of a response the other replica stored.
      const elsewhere = await ok(b, {
        input: [
          { type: "item_reference", id: first.output[0]?.id },
          { type: "message", role: "user", content: "What did you just say?" },
        ],
      });
      expect(elsewhere.output.length).toBeGreaterThan(0);
      const unknown = await turn(a, { input: [{ type: "item_reference", id: "msg_neverstored" }] });
      expect(unknown.status).toBe(404);

      // An id neither replica stored is still a plain 404, not a store failure.
      const missing = await turn(b, { input: "x", previous_response_id: "resp_neverstored" });
      expect(missing.status).toBe(404);
      expect(missing.body.error?.code).toBe("previous_response_not_found");
    });

    it("retrieve, input_items and delete on one replica reach what the other stored (client methods)", async () => {
      const first = await ok(a, { input: "My name is Ada." });
      const second = await ok(b, { input: "What is my name?", previous_response_id: first.id });
      const onA = new OpenResponses({ baseURL: `${a}/v1`, maxRetries: 0 });
      const onB = new OpenResponses({ baseURL: `${b}/v1`, maxRetries: 0 });

      const retrieved = await onA.responses.retrieve(second.id);
      expect(retrieved.id).toBe(second.id);
      expect(retrieved.output).toEqual(second.output);
      expect(retrieved.previous_response_id).toBe(first.id);
      const items = await onA.responses.inputItems.list(second.id, { order: "asc" });
      const texts = items.data.map((item) => {
        if (item.type !== "message") return item.type;
        if (typeof item.content === "string") return item.content;
        return item.content.map((part) => ("text" in part ? part.text : "")).join("");
      });
      expect(texts).toEqual(["My name is Ada.", first.text, "What is my name?"]);

      expect(await onB.responses.delete(first.id)).toMatchObject({ id: first.id, deleted: true });
      await expect(onA.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
      const gone = await turn(a, { input: "Who am I?", previous_response_id: first.id });
      expect(gone.status).toBe(404);
      expect(gone.body.error?.code).toBe("previous_response_not_found");
    });

    it("what a replica stores is in Redis, under the kit's key, with a time to live", async () => {
      // Read back through the same adapter the replicas use.
      const storage = createStorage({ driver: redisDriver({ url: redis.url }) });
      try {
        const first = await ok(b, { input: "My favourite colour is teal." });
        const stored = await createKVStore(storage).get(first.id);
        expect(stored?.response.id).toBe(first.id);
        expect(stored?.input).toEqual([
          { type: "message", role: "user", content: "My favourite colour is teal." },
        ]);
        const client = (
          storage.getMount("").driver as { getInstance?: () => { ttl(key: string): Promise<number> } }
        ).getInstance?.();
        const ttl = await client?.ttl(`openresponses:response:${first.id}`);
        expect(ttl).toBeGreaterThan(29 * 24 * 3600);
      } finally {
        await storage.dispose();
      }
    });

    it("W4/W9: a WebSocket turn on one replica continues a response stored by the other", async () => {
      const first = await ok(a, { input: "My name is Grace." });
      const client = new OpenResponses({ baseURL: `${b}/v1`, model: "openresponses-mock", maxRetries: 0 });
      const session = client.responses.connect();
      try {
        const continued = await session
          .create({ input: "What is my name?", previous_response_id: first.id })
          .finalResponse();
        expect(continued.status).toBe("completed");
        expect(textOf(continued.output as ItemField[])).toContain("Grace");
        // And back over HTTP on the first replica, from the response the WebSocket turn stored.
        const back = await ok(a, { input: "Who am I?", previous_response_id: continued.id });
        expect(back.text).toContain("Grace");
      } finally {
        await session.close();
      }
    });

    it("Redis hanging (SIGSTOP): turns that need it fail with a spec error within the timeout; they continue once it resumes", async () => {
      const first = await ok(a, { input: "My name is Hedy." });
      redis.child.kill("SIGSTOP");
      try {
        for (const base of [a, b]) {
          const failed = await turn(base, { input: "What is my name?", previous_response_id: first.id });
          expect(failed.status).toBe(500);
          expect(failed.body.error).toMatchObject({ type: "server_error", code: "store_unavailable" });
          expect(failed.body.error?.message).not.toContain(redis.url);
          expect(failed.ms).toBeLessThan(10_000);
          const retrieve = await fetch(`${base}/v1/responses/${first.id}`, {
            signal: AbortSignal.timeout(15_000),
          });
          expect(retrieve.status).toBe(500);
          expect(((await retrieve.json()) as Answer["body"]).error?.code).toBe("store_unavailable");
        }
        const session = new OpenResponses({ baseURL: `${b}/v1`, maxRetries: 0 }).responses.connect();
        try {
          const started = performance.now();
          await expect(
            session.create({ input: "What is my name?", previous_response_id: first.id }).finalResponse(),
          ).rejects.toMatchObject({ code: "store_unavailable" });
          // One store timeout (2 s in serve), not one per lookup.
          expect(performance.now() - started).toBeLessThan(3_900);
        } finally {
          await session.close();
        }
        expectUp();
      } finally {
        redis.child.kill("SIGCONT");
      }
      const resumed = await eventually(() =>
        ok(b, { input: "What is my name?", previous_response_id: first.id }),
      );
      expect(resumed.text).toContain("Hedy");
    }, 60_000);

    it("Redis stopped: turns fail with spec errors, the replicas stay up, and share conversations again once it is back", async () => {
      const before = await ok(a, { input: "My name is Lin." });
      const port = redis.port;
      await redis.stop();

      for (const base of [a, b]) {
        const failed = await turn(base, { input: "What is my name?", previous_response_id: before.id });
        expect(failed.status).toBe(500);
        expect(failed.body.error).toMatchObject({ type: "server_error", code: "store_unavailable" });
        expect(failed.ms).toBeLessThan(10_000);
        // A turn that needs no context is answered, but does not claim to be stored: it could not be.
        const unstored = await turn(base, { input: "Hello", store: true });
        expect(unstored.status).toBe(200);
        expect(unstored.body.store).toBe(false);
        const continued = await turn(base, { input: "And?", previous_response_id: unstored.body.id });
        expect(continued.status).toBeGreaterThanOrEqual(400);
      }
      expectUp();

      // A fresh Redis on the same address (it kept nothing: --save ''): new conversations are shared again.
      redis = await startRedis(port);
      const after = await eventually(async () => {
        const first = await ok(a, { input: "My name is Lin." });
        return ok(b, { input: "What is my name?", previous_response_id: first.id });
      });
      expect(after.text).toContain("Lin");
      expectUp();
      // Each replica said so once on stderr, without ioredis's own unhandled-error noise.
      await eventually(async () => {
        for (const replica of replicas) {
          expect(replica.output()).toMatch(/is unreachable[\s\S]*is back/);
          expect(replica.output()).not.toContain("Unhandled error event");
        }
      }, 10_000);
    }, 60_000);
  },
);
