/**
 * A server that echoes the key into any field of an error (code, type, param, the
 * body, the partial response of a stream) must not make it visible in `JSON.stringify(err)` or
 * `util.inspect(err)`: every such field is redacted like the message.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { OpenResponses } from "../../src/client/index.js";
import { APIError, ResponseStreamError } from "../../src/errors.js";
import { sendJSON, sseFrame, startSSE, textStreamEvents, trackedServers } from "./helpers.js";

const serve = trackedServers();
const KEY = "custom-gateway-credential-4f8a19c2";

function visible(error: unknown): string {
  return `${JSON.stringify(error)}\n${inspect(error, { depth: 20 })}`;
}

describe("every error field holding server text is redacted", () => {
  it("E1: code, type, param, message and body of an HTTP error", async () => {
    const server = await serve((_req, res) =>
      sendJSON(
        res,
        400,
        {
          error: { message: `bad key ${KEY}`, type: `type ${KEY}`, code: KEY, param: `p-${KEY}` },
          echo: KEY,
        },
        { "x-echo": KEY },
      ),
    );
    const client = new OpenResponses({ baseURL: server.origin, apiKey: KEY, maxRetries: 0, logLevel: "off" });
    const error = await client.responses.create({ model: "m" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    const api = error as APIError;
    expect(api.code).toBe("[redacted]");
    expect(api.type).toBe("type [redacted]");
    expect(api.param).toBe("p-[redacted]");
    expect(visible(error)).not.toContain(KEY);
    expect(visible(error)).toContain("[redacted]");
  });

  it("S8: an error event echoing the key, and a partial response holding it", async () => {
    const server = await serve((_req, res) => {
      startSSE(res);
      const events = textStreamEvents([`the key is ${KEY}`]).slice(0, 5);
      for (const event of events) res.write(sseFrame(event));
      res.write(
        sseFrame({
          type: "error",
          sequence_number: 5,
          error: { type: `t ${KEY}`, code: KEY, message: `m ${KEY}`, param: KEY },
        }),
      );
      res.end();
    });
    const client = new OpenResponses({ baseURL: server.origin, apiKey: KEY, maxRetries: 0, logLevel: "off" });
    const error = await client.responses
      .stream({ model: "m" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseStreamError);
    const streamError = error as ResponseStreamError;
    expect(streamError.code).toBe("[redacted]");
    expect(streamError.param).toBe("[redacted]");
    expect(visible(error)).not.toContain(KEY);
    // The partial response is kept, only the credential is masked.
    const message = streamError.partialResponse?.output[0] as { content: { text: string }[] };
    expect(message.content[0]?.text).toBe("the key is [redacted]");
  });

  it("a field without anything to redact is passed through as is", () => {
    const partial = { id: "r", output: [{ text: "plain" }] } as never;
    const error = new ResponseStreamError("x", { kind: "interrupted", partialResponse: partial });
    expect(error.partialResponse).toBe(partial);
  });
});
