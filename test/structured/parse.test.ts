import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { z as z3 } from "zod3";
import { OpenResponses } from "../../src/client/index.js";
import { createResponsesHandler, type RunningServer, serve } from "../../src/server/index.js";
import { mockModel } from "../../src/server/mock/index.js";
import {
  jsonSchemaFormat,
  ResponseParseError,
  type StandardSchema,
  zodFunction,
  zodTextFormat,
} from "../../src/structured/index.js";
import { tool } from "../../src/tools/index.js";
import {
  responseResource,
  sendJSON,
  sseFrame,
  startServer,
  startSSE,
  textStreamEvents,
} from "../client/helpers.js";

// responses.parse() with zod 4, zod 3 and a schema of no library, against the kit's mock model (which
// answers a json_schema format with JSON built from the schema) and against a loopback server that
// answers what a broken model would.

let kit: RunningServer;
const sent: Array<Record<string, unknown>> = [];
let client: OpenResponses;

beforeAll(async () => {
  kit = await serve({ handler: createResponsesHandler({ model: mockModel() }), port: 0, host: "127.0.0.1" });
  client = new OpenResponses({
    baseURL: `${kit.url}/v1`,
    apiKey: null,
    maxRetries: 0,
    logLevel: "off",
    fetch: (url, init) => {
      if (typeof init.body === "string") sent.push(JSON.parse(init.body) as Record<string, unknown>);
      return fetch(url, init);
    },
  });
});
afterAll(() => kit.close());

const Answer4 = z.object({ answer: z.string(), value: z.number() });
const Answer3 = z3.object({ answer: z3.string(), value: z3.number() });

describe("responses.parse() against the mock model", () => {
  it("zod 4: sends text.format json_schema strict with the schema, returns output_parsed", async () => {
    const response = await client.responses.parse({
      model: "mock",
      input: "What is 6 times 7?",
      text: { format: zodTextFormat(Answer4, "answer") },
    });
    const format = (sent.at(-1)!.text as { format: Record<string, unknown> }).format;
    expect(format).toMatchObject({ type: "json_schema", name: "answer", strict: true });
    expect(format.schema).toMatchObject({
      type: "object",
      properties: { answer: { type: "string" }, value: { type: "number" } },
      required: ["answer", "value"],
    });
    expect(format).not.toHaveProperty("$schema");
    expect(response.output_parsed).toEqual(JSON.parse(response.output_text));
    expect(Answer4.parse(response.output_parsed)).toEqual(response.output_parsed);
    // Non-enumerable, like output_text: the response serialises to what the server sent.
    expect(Object.keys(response)).not.toContain("output_parsed");
  });

  it("zod 3: the built-in converter gives the same JSON Schema zod 4 gives", async () => {
    const response = await client.responses.parse({
      model: "mock",
      input: "What is 6 times 7?",
      text: { format: jsonSchemaFormat(Answer3, "answer") },
    });
    const schema3 = (sent.at(-1)!.text as { format: { schema: unknown } }).format.schema;
    expect(schema3).toEqual(zodTextFormat(Answer4, "answer").schema);
    expect(response.output_parsed).toEqual(JSON.parse(response.output_text));
  });

  it("any Standard Schema, with its JSON Schema given alongside", async () => {
    const seen: unknown[] = [];
    const handmade: StandardSchema<unknown, { answer: string }> = {
      "~standard": {
        version: 1,
        vendor: "handmade",
        validate: (value) => {
          seen.push(value);
          const answer = (value as { answer?: unknown } | null)?.answer;
          return typeof answer === "string"
            ? { value: { answer } }
            : { issues: [{ message: "answer must be a string", path: ["answer"] }] };
        },
      },
    };
    const jsonSchema = {
      type: "object",
      properties: { answer: { type: "string" } },
      required: ["answer"],
      additionalProperties: false,
    };
    expect(() => jsonSchemaFormat(handmade, "a")).toThrow(/jsonSchema/);
    const response = await client.responses.parse({
      model: "mock",
      input: "Say hello.",
      text: { format: jsonSchemaFormat(handmade, "a", { jsonSchema }) },
    });
    expect((sent.at(-1)!.text as { format: { schema: unknown } }).format.schema).toEqual(jsonSchema);
    expect(seen).toHaveLength(1);
    expect(typeof response.output_parsed?.answer).toBe("string");
  });

  it("the streaming form: parse({ stream: true }).finalResponse() has output_parsed", async () => {
    const stream = client.responses.parse({
      model: "mock",
      input: "What is 6 times 7?",
      text: { format: zodTextFormat(Answer4, "answer") },
      stream: true,
    });
    const types: string[] = [];
    stream.on("event", (event) => types.push(event.type));
    const final = await stream.finalResponse();
    expect(sent.at(-1)!.stream).toBe(true);
    expect(types.at(-1)).toBe("response.completed");
    expect(final.output_parsed).toEqual(JSON.parse(final.output_text));
  });

  it("function tools built from a schema give parsed_arguments on their calls", async () => {
    const weather = zodFunction({
      name: "get_weather",
      description: "Get the weather for a city",
      parameters: z.object({ city: z.string() }),
    });
    const response = await client.responses.parse({
      model: "mock",
      input: "What is the weather in Paris?",
      tools: [weather],
    });
    const wire = (sent.at(-1)!.tools as Array<Record<string, unknown>>)[0]!;
    expect(wire).toMatchObject({ type: "function", name: "get_weather", strict: true });
    expect(wire).not.toHaveProperty("$parseRaw");
    const call = response.output.find((item) => item.type === "function_call");
    expect(call?.type).toBe("function_call");
    if (call?.type === "function_call") {
      expect(call.parsed_arguments).toEqual(JSON.parse(call.arguments));
      expect(call.parsed_arguments.city).toMatch(/Paris/);
    }
  });

  it("tool() with a schema: parse() gives its calls parsed_arguments, runTools validates them", async () => {
    const calls: Array<{ city: string }> = [];
    const weather = tool({
      name: "get_weather",
      description: "Get the weather for a city",
      parameters: z.object({ city: z.string() }),
      execute: (args) => {
        calls.push(args);
        return { temperature: 21 };
      },
    });
    expect(weather.definition).toMatchObject({ strict: true, parameters: { type: "object" } });
    const parsed = await client.responses.parse({
      model: "mock",
      input: "What is the weather in Paris?",
      tools: [weather],
    });
    const call = parsed.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("expected a function call");
    expect(call.parsed_arguments).toEqual(JSON.parse(call.arguments));
    const run = await client.responses.runTools({
      model: "mock",
      input: "What is the weather in Paris?",
      tools: [weather],
    });
    expect(run.toolCalls[0]?.status).toBe("ok");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.city).toMatch(/Paris/);
  });
});

describe("responses.parse() against a server whose model answers badly", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let text = "";
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const body = JSON.parse(req.body) as { stream?: boolean };
      if (body.stream) {
        startSSE(res);
        for (const event of textStreamEvents([text])) res.write(sseFrame(event));
        res.end("data: [DONE]\n\n");
        return;
      }
      sendJSON(res, 200, responseResource(text));
    });
  });
  afterAll(() => server.close());
  const bad = () =>
    new OpenResponses({ baseURL: server.origin, apiKey: null, maxRetries: 0, logLevel: "off" });
  const body = { model: "m", input: "x", text: { format: zodTextFormat(Answer4, "answer") } };

  it("text that is not JSON: ResponseParseError invalid_json, carrying the raw text and the response", async () => {
    text = '{"answer": "forty-two", "value": 4';
    const error = await bad()
      .responses.parse(body)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ResponseParseError);
    const parseError = error as ResponseParseError;
    expect(parseError.kind).toBe("invalid_json");
    expect(parseError.rawText).toBe(text);
    expect(parseError.toolName).toBeNull();
    expect(parseError.response?.id).toBe("resp_1");
  });

  it("JSON the schema rejects: ResponseParseError schema_mismatch with the issues", async () => {
    text = '{"answer": 42, "value": "seven"}';
    const error = (await bad()
      .responses.parse(body)
      .catch((e: unknown) => e)) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error.kind).toBe("schema_mismatch");
    expect(error.rawText).toBe(text);
    expect(error.issues.map((issue) => issue.path?.join("."))).toEqual(["answer", "value"]);
    expect(error.message).toMatch(/answer/);
    // zod 3 reports the same through its Standard Schema.
    const error3 = (await bad()
      .responses.parse({ ...body, text: { format: jsonSchemaFormat(Answer3, "answer") } })
      .catch((e: unknown) => e)) as ResponseParseError;
    expect(error3.kind).toBe("schema_mismatch");
  });

  it("the streaming form rejects finalResponse() the same way", async () => {
    text = "not json at all";
    const error = (await bad()
      .responses.parse({ ...body, stream: true })
      .finalResponse()
      .catch((e: unknown) => e)) as ResponseParseError;
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error.kind).toBe("invalid_json");
    expect(error.rawText).toBe("not json at all");
  });
});

describe("tool() with a schema in a runTools loop", () => {
  it("a validation failure goes back to the model as the call's output; execute is not called", async () => {
    const requests: Array<Record<string, unknown>> = [];
    const server = await startServer((req, res, index) => {
      requests.push(JSON.parse(req.body) as Record<string, unknown>);
      const resource = responseResource(index === 0 ? "" : "done");
      if (index === 0) {
        resource.output = [
          {
            type: "function_call",
            id: "fc_1",
            call_id: "call_1",
            name: "get_weather",
            arguments: '{"city": 7}',
            status: "completed",
          },
        ] as typeof resource.output;
      }
      startSSE(res);
      res.write(sseFrame({ type: "response.completed", sequence_number: 0, response: resource }));
      res.end("data: [DONE]\n\n");
    });
    try {
      let executed = 0;
      const weather = tool({
        name: "get_weather",
        parameters: z.object({ city: z.string() }),
        execute: () => {
          executed += 1;
          return "sunny";
        },
      });
      const c = new OpenResponses({ baseURL: server.origin, apiKey: null, maxRetries: 0, logLevel: "off" });
      const run = await c.responses.runTools({ model: "m", input: "weather?", tools: [weather] });
      expect(executed).toBe(0);
      expect(run.toolCalls[0]?.status).toBe("invalid_arguments");
      expect(run.toolCalls[0]?.error).toBeInstanceOf(ResponseParseError);
      const output = (requests[1]!.input as Array<{ type: string; output?: string }>).find(
        (item) => item.type === "function_call_output",
      );
      expect(output?.output).toMatch(/invalid arguments for get_weather/);
      expect(output?.output).toMatch(/city/);
      expect(run.outputText).toBe("done");
    } finally {
      await server.close();
    }
  });
});
