import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { z as z3 } from "zod3";
import { OpenResponses } from "../../src/client/index.js";
import type { FunctionCall } from "../../src/spec/index.js";
import {
  jsonSchemaFormat,
  type StandardSchema,
  zodFunction,
  zodTextFormat,
} from "../../src/structured/index.js";
import { type RunnableTool, tool } from "../../src/tools/index.js";

const client = new OpenResponses({ baseURL: "http://127.0.0.1:1" });
const Answer = z.object({ answer: z.string(), value: z.number() });

describe("output_parsed is typed from the schema", () => {
  it("zod 4, zod 3, any Standard Schema", async () => {
    const v4 = await client.responses.parse({ model: "m", text: { format: zodTextFormat(Answer, "a") } });
    expectTypeOf(v4.output_parsed).toEqualTypeOf<{ answer: string; value: number } | null>();
    expectTypeOf(v4.output_text).toEqualTypeOf<string>();
    const v3 = await client.responses.parse({
      model: "m",
      text: { format: jsonSchemaFormat(z3.object({ n: z3.number().int() }), "n") },
    });
    expectTypeOf(v3.output_parsed).toEqualTypeOf<{ n: number } | null>();
    const handmade = {} as StandardSchema<unknown, { ok: boolean }>;
    const other = await client.responses.parse({
      model: "m",
      text: { format: jsonSchemaFormat(handmade, "h", { jsonSchema: {} }) },
    });
    expectTypeOf(other.output_parsed).toEqualTypeOf<{ ok: boolean } | null>();
  });

  it("without a parseable format, output_parsed is null; the stream form types finalResponse()", async () => {
    const plain = await client.responses.parse({ model: "m", input: "x" });
    expectTypeOf(plain.output_parsed).toEqualTypeOf<null>();
    const streamed = client.responses.parse({
      model: "m",
      text: { format: zodTextFormat(Answer, "a") },
      stream: true,
    });
    expectTypeOf((await streamed.finalResponse()).output_parsed).toEqualTypeOf<{
      answer: string;
      value: number;
    } | null>();
  });

  it("zodTextFormat is refused by the wrong kind of argument", () => {
    // @ts-expect-error a plain object is not a schema
    zodTextFormat({ type: "object" }, "x");
  });
});

describe("parsed_arguments is typed from the tool", () => {
  it("zodFunction: narrowed by name", async () => {
    const weather = zodFunction({ name: "get_weather", parameters: z.object({ city: z.string() }) });
    const time = zodFunction({ name: "get_time", parameters: z.object({ zone: z.string() }) });
    const response = await client.responses.parse({ model: "m", tools: [weather, time] });
    for (const item of response.output) {
      if (item.type === "function_call" && item.name === "get_weather") {
        expectTypeOf(item.parsed_arguments).toEqualTypeOf<{ city: string }>();
      }
      if (item.type === "function_call" && item.name === "get_time") {
        expectTypeOf(item.parsed_arguments).toEqualTypeOf<{ zone: string }>();
      }
      if (item.type === "message") {
        for (const part of item.content)
          if (part.type === "output_text") expectTypeOf(part.parsed).toEqualTypeOf<null>();
      }
    }
  });

  it("tool() with a schema: execute's argument is the schema's output", () => {
    const weather = tool({
      name: "get_weather",
      parameters: z.object({ city: z.string(), days: z.number().optional() }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ city: string; days?: number | undefined }>();
        return args.city;
      },
    });
    expectTypeOf(weather).toEqualTypeOf<RunnableTool<{ city: string; days?: number | undefined }, string>>();
    const v3 = tool({ name: "n", parameters: z3.object({ n: z3.number() }), execute: (args) => args.n * 2 });
    expectTypeOf(v3).toEqualTypeOf<RunnableTool<{ n: number }, number>>();
  });

  it("a runnable tool in parse() types its calls' parsed_arguments", async () => {
    const weather = tool({
      name: "get_weather",
      parameters: z.object({ city: z.string() }),
      execute: () => 1,
    });
    const response = await client.responses.parse({ model: "m", tools: [weather] });
    const call = response.output.find(
      (item): item is FunctionCall & { parsed_arguments: { city: string } } => item.type === "function_call",
    );
    if (call) expectTypeOf(call.parsed_arguments).toEqualTypeOf<{ city: string }>();
  });
});
