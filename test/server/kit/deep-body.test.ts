/** E1: a body nested absurdly deep is a 400 spec error, not a stack overflow (500, or a cut SSE stream). */

import { describe, expect, it } from "vitest";
import { createResponsesHandler } from "../../../src/server/index.js";
import { MAX_BODY_DEPTH } from "../../../src/server/kit/request-validation.js";
import { post, scriptedModel, specError } from "./helpers.js";

const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const deepArray = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const handler = createResponsesHandler({ model: scriptedModel([{ type: "text", delta: "Hello" }]) });

describe("E1: nesting depth", () => {
  for (const stream of [false, true]) {
    it(`E1: a tool schema 3,000 levels deep is a 400 naming the field (stream: ${stream})`, async () => {
      const body = `{"stream":${stream},"input":"hi","tools":[{"type":"function","name":"f","parameters":${deepObject(3000)}}]}`;
      const error = await specError(await handler(post("/v1/responses", body)), 400);
      expect(error.code).toBe("nesting_too_deep");
      expect(error.param?.startsWith("tools[0].parameters.a")).toBe(true);
      expect(error.param?.length).toBeLessThan(60);
    });
  }

  it("E1: deep input, deep metadata and a deep compact body are 400s too", async () => {
    const bodies: Array<[string, string]> = [
      ["/v1/responses", `{"input":${deepArray(50_000)}}`],
      ["/v1/responses", `{"input":"x","metadata":${deepObject(5000)}}`],
      [
        "/v1/responses/compact",
        `{"model":"m","input":[{"type":"function_call_output","call_id":"c","output":${deepArray(5000)}}]}`,
      ],
    ];
    for (const [path, body] of bodies) {
      expect((await specError(await handler(post(path, body)), 400)).code).toBe("nesting_too_deep");
    }
  });

  it("a realistically nested tool schema (40 levels) is accepted", async () => {
    const body = `{"input":"hi","tools":[{"type":"function","name":"f","parameters":${deepObject(40)}}]}`;
    const response = await handler(post("/v1/responses", body));
    expect(response.status).toBe(200);
    expect(MAX_BODY_DEPTH).toBeGreaterThan(40);
  });
});

describe("E1: nesting depth inside a packed compaction item", () => {
  it("a crafted pack nested 5,000 levels deep is a 400 invalid_encrypted_content, on create and compact", async () => {
    // Built as text: JSON.stringify itself cannot go this deep.
    const items = `[{"type":"function_call_output","call_id":"c","output":${deepArray(5000)}}]`;
    const zipped = new Uint8Array(
      await new Response(new Blob([items]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
    );
    const packed = `orc1:${Buffer.from(zipped).toString("base64")}`;
    const input = [{ type: "compaction", id: "cmp_1", encrypted_content: packed }];
    for (const [path, body] of [
      ["/v1/responses", { input, stream: true }],
      ["/v1/responses/compact", { model: "m", input }],
    ] as const) {
      const error = await specError(await handler(post(path, body)), 400);
      expect(error.code).toBe("invalid_encrypted_content");
    }
  });
});
