/**
 * Records the bytes the kit sends for each bench request (bench/kit/workload.ts), in process, so the
 * bare server can send the same bytes. Written to a temporary file the bare runner reads.
 */

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createResponsesHandler, mockModel } from "../../src/server/index.js";
import { benchModel, idleBody, jsonBody, type Recording, splitEvents, sseBody } from "./workload.js";

function post(body: string): Request {
  return new Request("http://127.0.0.1/v1/responses", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

/** Reads an SSE body until `until` appears in it (then cancels), or to its end. */
async function readUntil(response: Response, until?: string): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (until !== undefined && text.includes(until)) {
      await reader.cancel();
      // Up to the end of the event that holds it.
      return text.slice(0, text.indexOf("\n\n", text.indexOf(until)) + 2);
    }
  }
  return text;
}

export async function recordKit(deltas: number): Promise<{ file: string; recording: Recording }> {
  const handler = createResponsesHandler({ model: benchModel(mockModel()) });
  const sseResponse = await handler(post(sseBody(deltas)));
  const sse = splitEvents(await readUntil(sseResponse));
  const idleResponse = await handler(post(idleBody));
  const idle = splitEvents(await readUntil(idleResponse, "response.output_text.delta"));
  const jsonResponse = await handler(post(jsonBody));
  const recording: Recording = {
    sse,
    idle,
    json: await jsonResponse.text(),
    sseType: sseResponse.headers.get("content-type") ?? "text/event-stream",
    jsonType: jsonResponse.headers.get("content-type") ?? "application/json",
  };
  if (jsonResponse.status !== 200) throw new Error(`the bench's JSON turn answered ${jsonResponse.status}`);
  const file = join(mkdtempSync(join(tmpdir(), "openresponses-bench-")), "recording.json");
  writeFileSync(file, JSON.stringify(recording));
  return { file, recording };
}
