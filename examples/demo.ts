/**
 * `npm start`: a short tour of the client against the built-in model, fully offline. The server runs
 * in this process on 127.0.0.1 (a free port), and the client talks to it over real HTTP and SSE,
 * exactly as it would talk to any Open Responses provider.
 */

import { OpenResponses } from "../src/index.js";
import { createResponsesHandler, mockModel, serve } from "../src/server/index.js";

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);

function section(title: string): void {
  console.log(`\n${bold(`▸ ${title}`)}`);
}

/** The "real" function behind the tool the model may call. */
function getWeather(args: { city: string; unit: "celsius" | "fahrenheit" }) {
  const celsius = 18;
  return {
    city: args.city,
    temperature: args.unit === "fahrenheit" ? Math.round((celsius * 9) / 5 + 32) : celsius,
    unit: args.unit,
    sky: "sunny",
  };
}

async function main(): Promise<void> {
  // A small delay between parts so the streamed answer visibly streams.
  const server = await serve({
    handler: createResponsesHandler({ model: mockModel({ delayMs: 25 }) }),
    port: 0,
    host: "127.0.0.1",
  });
  const client = new OpenResponses({ baseURL: `${server.url}/v1`, model: "openresponses-mock" });
  console.log(dim(`Built-in model serving at ${server.url}/v1 (offline, deterministic)`));

  try {
    section("A plain answer: client.responses.create()");
    const plain = await client.responses.create({ input: "What is 12 * 7?" });
    console.log(`  you:   What is 12 * 7?\n  model: ${plain.output_text}`);

    section("A streamed answer: client.responses.stream(), text printed as it arrives");
    process.stdout.write("  you:   count to 10\n  model: ");
    const stream = client.responses.stream({ input: "count to 10" });
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") process.stdout.write(event.delta);
    }
    process.stdout.write("\n");

    section("Multi-turn: previous_response_id keeps the context on the server");
    const intro = await client.responses.create({ input: "Hi! My name is Ada and I live in London." });
    console.log(`  you:   Hi! My name is Ada and I live in London.\n  model: ${intro.output_text}`);
    const recall = await client.responses.create({
      input: "What is my name?",
      previous_response_id: intro.id,
    });
    console.log(`  you:   What is my name?\n  model: ${recall.output_text}`);

    section("Tool calling: function_call → your code runs → function_call_output → answer");
    const tools = [
      {
        type: "function" as const,
        name: "get_weather",
        description: "Get the current weather in a city",
        parameters: {
          type: "object",
          properties: {
            city: { type: "string" },
            unit: { type: "string", enum: ["celsius", "fahrenheit"] },
          },
          required: ["city", "unit"],
          additionalProperties: false,
        },
      },
    ];
    const question = "What's the weather in Paris, in fahrenheit?";
    const first = await client.responses.create({ input: question, tools });
    console.log(`  you:   ${question}`);
    const outputs = [];
    for (const item of first.output) {
      if (item.type !== "function_call") continue;
      const result = getWeather(JSON.parse(item.arguments));
      console.log(`  model calls ${item.name}(${item.arguments})`);
      console.log(`  your code returns ${JSON.stringify(result)}`);
      outputs.push({
        type: "function_call_output" as const,
        call_id: item.call_id,
        output: JSON.stringify(result),
      });
    }
    const answer = await client.responses.create({ input: outputs, tools, previous_response_id: first.id });
    console.log(`  model: ${answer.output_text}`);

    console.log(
      dim("\nNext: try the CLI with npx tsx src/cli/main.ts chat (installed: npx openresponses chat)."),
    );
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
