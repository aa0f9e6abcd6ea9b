/**
 * A client whose `fetch` gives every request the answer `answer()` makes, with nothing on the network:
 * for tests of how the client reads one kind of answer. No retries and no logging, so a test sees the
 * first attempt's outcome and a quiet console.
 */

import { OpenResponses } from "../../src/client/index.js";

export function clientAnswering(answer: () => Response, apiKey = "k"): OpenResponses {
  return new OpenResponses({
    baseURL: "http://127.0.0.1:9/v1",
    apiKey,
    maxRetries: 0,
    logLevel: "off",
    fetch: async () => answer(),
  });
}
