import OpenAI from "openai";
import { zodTextFormat as openaiZodTextFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { OpenResponses } from "../../src/client/index.js";
import { createResponsesHandler, type RunningServer, serve } from "../../src/server/index.js";
import { mockModel } from "../../src/server/mock/index.js";
import { zodTextFormat } from "../../src/structured/index.js";

// One scenario, two clients of the same kit: the `openai` SDK and this one must agree on what a user
// reads — output_text, output_parsed, and the order of the events.

let server: RunningServer;
let openai: OpenAI;
let ours: OpenResponses;

beforeAll(async () => {
  server = await serve({
    handler: createResponsesHandler({ model: mockModel() }),
    port: 0,
    host: "127.0.0.1",
  });
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "sk-parity-not-checked", maxRetries: 0 });
  ours = new OpenResponses({ baseURL: `${server.url}/v1`, apiKey: "sk-parity-not-checked", maxRetries: 0 });
});
afterAll(() => server?.close());

const Answer = z.object({ answer: z.string(), value: z.number() });

describe("openai and openresponses as clients of the kit", () => {
  it("create(): the same output_text", async () => {
    const body = { model: "mock", input: "What is 6 times 7?" };
    const theirs = await openai.responses.create(body);
    const mine = await ours.responses.create(body);
    expect(mine.output_text).toBe(theirs.output_text);
    expect(mine.output_text.length).toBeGreaterThan(0);
  });

  it("stream(): the same events in the same order, the same final output_text", async () => {
    // (No reasoning: the openai SDK's stream helper throws on the spec's reasoning events.)
    const body = { model: "mock", input: "Tell me about the moon." };
    const theirTypes: string[] = [];
    const theirStream = openai.responses.stream(body);
    theirStream.on("event", (event) => theirTypes.push(event.type));
    const theirFinal = await theirStream.finalResponse();

    const myTypes: string[] = [];
    for await (const event of ours.responses.stream(body)) myTypes.push(event.type);
    const myFinal = await ours.responses.stream(body).finalResponse();

    expect(myTypes).toEqual(theirTypes);
    expect(myTypes.length).toBeGreaterThan(4);
    expect(myFinal.output_text).toBe(theirFinal.output_text);
  });

  it("parse(): the same output_parsed from the same zod schema", async () => {
    const body = { model: "mock", input: "What is 6 times 7?" };
    const theirs = await openai.responses.parse({
      ...body,
      text: { format: openaiZodTextFormat(Answer, "answer") },
    });
    const mine = await ours.responses.parse({ ...body, text: { format: zodTextFormat(Answer, "answer") } });
    expect(mine.output_parsed).toEqual(theirs.output_parsed);
    expect(mine.output_parsed).not.toBeNull();
    expect(mine.output_text).toBe(theirs.output_text);
  });

  it("parse() streamed: the same events and output_parsed", async () => {
    const body = { model: "mock", input: "What is 6 times 7?" };
    const theirTypes: string[] = [];
    const theirStream = openai.responses.stream({
      ...body,
      text: { format: openaiZodTextFormat(Answer, "answer") },
    });
    theirStream.on("event", (event) => theirTypes.push(event.type));
    const theirFinal = await theirStream.finalResponse();

    const myTypes: string[] = [];
    const myStream = ours.responses.parse({
      ...body,
      text: { format: zodTextFormat(Answer, "answer") },
      stream: true,
    });
    myStream.on("event", (event) => myTypes.push(event.type));
    const myFinal = await myStream.finalResponse();

    expect(myTypes).toEqual(theirTypes);
    expect(myFinal.output_parsed).toEqual(theirFinal.output_parsed);
  });
});
