// Compiled by the runtime matrix with `types: []` (no @types/node) and `skipLibCheck: false`, under
// moduleResolution node10, node16 and bundler: the published declarations must stand on their own.
import { APIError, OpenResponses, type ResponseResource } from "openresponses";
import { createResponsesHandler, mockModel, type RunningServer, serve } from "openresponses/server";

const handler: (request: Request) => Promise<Response> = createResponsesHandler({ model: mockModel() });
const client = new OpenResponses({ baseURL: "http://127.0.0.1:1/v1", apiKey: null });
export async function main(): Promise<string> {
  const running: RunningServer = await serve({ handler, port: 0 });
  const response: ResponseResource = await client.responses.create({ model: "m", input: "hi" });
  const listening: boolean = running.server.listening;
  await running.close();
  return `${response.id} ${listening} ${APIError.name}`;
}
