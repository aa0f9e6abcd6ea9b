/**
 * What an open stream holds is let go when it ends: after clients that held streams open leave, the
 * turns they had (the model's request, the writer's snapshot) can be collected, so a long-running server
 * returns to its size between bursts of streams.
 */

import { connect, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createResponsesHandler, serve } from "../../../src/server/index.js";
import type { ModelPart, ModelRequest } from "../../../src/server/model.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("serve: memory after streams close", () => {
  it("the turns of streams whose clients left are collected", async () => {
    const requests: Array<WeakRef<ModelRequest>> = [];
    let aborted = 0;
    async function* idle(request: ModelRequest): AsyncGenerator<ModelPart> {
      requests.push(new WeakRef(request));
      yield { type: "text", delta: "waiting" };
      await new Promise<void>((resolve) =>
        request.signal.addEventListener(
          "abort",
          () => {
            aborted++;
            resolve();
          },
          { once: true },
        ),
      );
    }
    const server = await serve({
      handler: createResponsesHandler({ model: idle }),
      port: 0,
      websocket: false,
    });
    try {
      const body = JSON.stringify({ input: "hi", stream: true });
      const open = (): Promise<Socket> =>
        new Promise((resolve, reject) => {
          let seen = "";
          const socket = connect(server.port, "127.0.0.1", () =>
            socket.write(
              `POST /v1/responses HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
            ),
          );
          socket.on("data", (chunk: Buffer) => {
            seen += chunk.toString("utf8");
            if (seen.includes("output_text.delta")) resolve(socket);
          });
          socket.on("error", reject);
        });
      const sockets = await Promise.all(Array.from({ length: 20 }, open));
      expect(requests).toHaveLength(20);
      for (const socket of sockets) socket.destroy();
      for (let i = 0; i < 100 && aborted < 20; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(aborted).toBe(20);
      let alive = 20;
      for (let i = 0; i < 20 && alive > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        gc();
        alive = requests.filter((ref) => ref.deref() !== undefined).length;
      }
      expect(alive).toBe(0);
    } finally {
      await server.close();
    }
  });
});
