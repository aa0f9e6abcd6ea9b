/**
 * The server the interop suite points real clients at: the server kit with the built-in model, on
 * 127.0.0.1 (port 0), recording every request so a scenario can assert what the client sent.
 */

import { createResponsesHandler, type Dialect, type RunningServer, serve } from "../../src/server/index.js";
import { mockModel } from "../../src/server/mock/index.js";

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface InteropKit {
  /** `http://127.0.0.1:PORT/v1`, a client's `baseURL`. */
  baseURL: string;
  /** `ws://127.0.0.1:PORT/v1` */
  wsBaseURL: string;
  requests: RecordedRequest[];
  /** Kit errors the server absorbed (a model or store failure); a scenario expects none. */
  errors: unknown[];
  close(): Promise<void>;
}

/** A dummy key: the kit is started without `apiKey`, and the clients insist on sending one. */
export const DUMMY_KEY = "sk-interop-dummy-key";

export async function startKit(options: { dialect?: Dialect } = {}): Promise<InteropKit> {
  const errors: unknown[] = [];
  const requests: RecordedRequest[] = [];
  const handler = createResponsesHandler({
    model: mockModel(),
    onError: (error) => errors.push(error),
    ...(options.dialect ? { dialect: options.dialect } : {}),
  });
  const recording = Object.assign(async (request: Request) => {
    const text = request.method === "POST" ? await request.clone().text() : "";
    const response = await handler(request);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Kept as text: the scenario sees exactly what was sent.
    }
    requests.push({
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      body,
    });
    return response;
  }, handler);
  const server: RunningServer = await serve({ handler: recording, port: 0, host: "127.0.0.1" });
  return {
    baseURL: `${server.url}/v1`,
    wsBaseURL: `${server.url.replace(/^http/, "ws")}/v1`,
    requests,
    errors,
    close: () => server.close(),
  };
}

/** The text of every `input_text`/`output_text`/string content of the messages a request sent. */
export function sentTexts(body: unknown): string[] {
  const input = (body as { input?: unknown })?.input;
  if (typeof input === "string") return [input];
  if (!Array.isArray(input)) return [];
  return input.flatMap((item: { content?: unknown }) => {
    if (typeof item?.content === "string") return [item.content];
    if (!Array.isArray(item?.content)) return [];
    return item.content.flatMap((part: { text?: unknown }) =>
      typeof part?.text === "string" ? [part.text] : [],
    );
  });
}
