/**
 * Streaming: print the text as it arrives, then look at the final response.
 *
 *   OPENRESPONSES_BASE_URL=http://localhost:8080 OPENRESPONSES_MODEL=my-model npx tsx examples/streaming.ts
 */

import { OpenResponses, ResponseStreamError } from "../src/index.js";

const client = new OpenResponses();

// `stream()` starts the request at once; the stream can be iterated without awaiting it first.
const stream = await client.responses.stream({
  input: "Count from one to ten in words, one per line.",
});

try {
  for await (const event of stream) {
    if (event.type === "response.output_text.delta") process.stdout.write(event.delta);
  }
  // The events were consumed above; finalResponse() now returns the response they rebuilt.
  const final = await stream.finalResponse();
  console.log(`\n\nstatus: ${final.status}, output items: ${final.output.length}`);
  if (final.usage) console.log(`tokens: ${final.usage.input_tokens} in, ${final.usage.output_tokens} out`);
  if (stream.violations.length > 0) {
    console.log(`protocol notes: ${stream.violations.map((v) => `[${v.rule}] ${v.message}`).join("; ")}`);
  }
} catch (error) {
  if (error instanceof ResponseStreamError) {
    // A dropped connection keeps what arrived so far.
    console.error(`\nstream ${error.kind}: ${error.message}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
}
