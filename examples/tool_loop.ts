/**
 * A tool-calling loop in a few lines: `tool()` pairs a function tool with its code, and
 * `client.responses.runTools()` runs the calls the model makes, sends the outputs back, and repeats
 * until the model answers. Then the same run streamed, with every turn's events.
 *
 *   OPENRESPONSES_BASE_URL=http://localhost:8080 OPENRESPONSES_MODEL=my-model npx tsx examples/tool_loop.ts
 *
 * With no OPENRESPONSES_BASE_URL set, it starts the built-in model in this process (127.0.0.1, a free
 * port), so it also runs offline.
 */

import { OpenResponses, tool } from "../src/index.js";
import { createResponsesHandler, mockModel, type RunningServer, serve } from "../src/server/index.js";

const getWeather = tool({
  name: "get_weather",
  description: "Get the current weather in a city",
  parameters: {
    type: "object",
    properties: {
      city: { type: "string", description: "City name, e.g. Paris" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    },
    required: ["city", "unit"],
    additionalProperties: false,
  },
  // A stand-in for a real weather service; `args` is typed by this annotation.
  execute: async (args: { city: string; unit: "celsius" | "fahrenheit" }) => {
    const celsius = 12 + (args.city.length % 10);
    const temperature = args.unit === "fahrenheit" ? Math.round(celsius * 1.8 + 32) : celsius;
    return { city: args.city, temperature, unit: args.unit, sky: "sunny" };
  },
});

async function main(): Promise<void> {
  let server: RunningServer | undefined;
  let client: OpenResponses;
  if (process.env.OPENRESPONSES_BASE_URL) {
    client = new OpenResponses();
  } else {
    server = await serve({
      handler: createResponsesHandler({ model: mockModel() }),
      port: 0,
      host: "127.0.0.1",
    });
    client = new OpenResponses({ baseURL: `${server.url}/v1`, apiKey: null, model: "openresponses-mock" });
    console.log(`(no OPENRESPONSES_BASE_URL: using the built-in model at ${server.url}/v1)`);
  }

  try {
    // 1. The whole loop, awaited.
    const question = "What's the weather in Paris and Oslo, in celsius?";
    const result = await client.responses.runTools({ input: question, tools: [getWeather] }, { maxTurns: 5 });
    console.log(`you:   ${question}`);
    for (const record of result.toolCalls) {
      console.log(
        `  turn ${record.turn}: ${record.call.name}(${record.call.arguments}) → ${String(record.output)}`,
      );
    }
    console.log(`model: ${result.outputText}`);
    console.log(`(${result.responses.length} responses, stop reason: ${result.stopReason})`);

    // 2. The same loop streamed: text as it arrives, tool outputs between turns.
    const streamed = "What's the weather in Tokyo, in fahrenheit?";
    console.log(`\nyou:   ${streamed}`);
    const run = client.responses.runTools({ input: streamed, tools: [getWeather], stream: true });
    process.stdout.write("model: ");
    for await (const item of run) {
      if (item.type === "tool_output") {
        process.stdout.write(`\n  [turn ${item.turn}] ${item.call.name} → ${String(item.output)}\nmodel: `);
      } else if (item.event.type === "response.output_text.delta") {
        process.stdout.write(item.event.delta);
      }
    }
    process.stdout.write("\n");
    const final = await run.finalResult();
    console.log(`(${final.responses.length} responses, stop reason: ${final.stopReason})`);
  } finally {
    await server?.close();
  }
}

// Top-level await, so that importing this file (as its test does) finishes when the example has.
await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
