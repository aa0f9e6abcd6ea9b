/**
 * One request, one answer.
 *
 *   OPENRESPONSES_BASE_URL=http://localhost:8080 OPENRESPONSES_MODEL=my-model npx tsx examples/basic_usage.ts
 *
 * The client reads OPENRESPONSES_BASE_URL, OPENRESPONSES_API_KEY and OPENRESPONSES_MODEL from the
 * environment, so the same file runs against any Open Responses server.
 */

import { APIError, OpenResponses } from "../src/index.js";

const client = new OpenResponses();

try {
  const response = await client.responses.create({
    input: "Write a one-sentence bedtime story about a unicorn.",
  });
  console.log(response.output_text);
  console.log(
    `\n(status: ${response.status}, id: ${response.id}, request id: ${response._request_id ?? "n/a"})`,
  );
} catch (error) {
  if (error instanceof APIError) {
    console.error(`The server answered ${error.status}: ${error.message}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
}
