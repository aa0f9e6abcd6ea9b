/**
 * Function calling, the full loop: the model asks for `get_weather`, we run it, send the result back as
 * a `function_call_output`, and repeat until the model answers in text (at most MAX_TURNS rounds).
 *
 *   OPENRESPONSES_BASE_URL=http://localhost:8080 OPENRESPONSES_MODEL=my-model npx tsx examples/function_calling.ts
 */

import {
  functionCall,
  functionCallOutput,
  functionTool,
  type ItemParam,
  OpenResponses,
  userMessage,
} from "../src/index.js";

const MAX_TURNS = 5;

const weatherTool = functionTool({
  name: "get_weather",
  description: "Current weather for a city.",
  parameters: {
    type: "object",
    properties: {
      city: { type: "string", description: "City name, e.g. Paris" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    },
    required: ["city"],
    additionalProperties: false,
  },
});

/** A stand-in for a real weather service. */
function getWeather(args: { city?: unknown; unit?: unknown }): {
  city: string;
  temperature: number;
  unit: string;
} {
  const city = typeof args.city === "string" ? args.city : "unknown";
  const unit = args.unit === "fahrenheit" ? "fahrenheit" : "celsius";
  const celsius = 12 + (city.length % 10);
  return { city, temperature: unit === "celsius" ? celsius : Math.round(celsius * 1.8 + 32), unit };
}

const client = new OpenResponses();
const input: ItemParam[] = [userMessage("What is the weather in Paris and in Tokyo right now?")];

for (let turn = 1; turn <= MAX_TURNS; turn++) {
  const response = await client.responses.create({ input, tools: [weatherTool] });
  const calls = response.output.filter((item) => item.type === "function_call");
  if (calls.length === 0) {
    console.log(response.output_text || "(no text in the answer)");
    break;
  }
  for (const call of calls) {
    let args: Record<string, unknown> = {};
    try {
      args = JSON.parse(call.arguments) as Record<string, unknown>;
    } catch {
      // A model can produce invalid JSON; the tool then sees no arguments and says so in its output.
    }
    const result = getWeather(args);
    console.log(`turn ${turn}: ${call.name}(${call.arguments}) -> ${JSON.stringify(result)}`);
    // Send back the call itself and its output (rule P4), so the model sees the whole exchange.
    input.push(
      functionCall({ callId: call.call_id, name: call.name, arguments: call.arguments }),
      functionCallOutput(call.call_id, result), // a non-string output is sent as JSON
    );
  }
  if (turn === MAX_TURNS) console.log(`Stopped after ${MAX_TURNS} rounds of tool calls.`);
}
