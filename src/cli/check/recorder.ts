/**
 * `--record DIR`: every exchange of a scenario (request, response headers, the body or SSE bytes as
 * text, WebSocket frames in both directions) written to `DIR/<scenario>.json`, so a server author can
 * attach it to a bug report and the client's tests can replay it. Credentials never reach the file:
 * auth headers are replaced, and every string goes through the client's secret redaction.
 */

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { redactSecrets } from "../../internal/redact.js";
import { isSecretHeaderName } from "../../internal/secret-headers.js";

export interface RecordedHttpExchange {
  transport: "http";
  request: { method: string; url: string; headers: Record<string, string>; body: unknown };
  response: {
    status: number;
    headers: Record<string, string>;
    /** The body as UTF-8 text: the JSON, or the SSE stream byte for byte. */
    body: string;
    truncated: boolean;
  } | null;
  error: string | null;
}

export interface RecordedFrame {
  direction: "sent" | "received";
  /** Milliseconds since the connection opened. */
  at_ms: number;
  data: string;
}

export interface RecordedWebSocketSession {
  transport: "websocket";
  url: string;
  request_headers: Record<string, string>;
  frames: RecordedFrame[];
  close: { code: number; reason: string } | null;
  error: string | null;
}

export type RecordedExchange = RecordedHttpExchange | RecordedWebSocketSession;

export interface ScenarioRecording {
  scenario: string;
  transport: string;
  exchanges: RecordedExchange[];
}

export function redactHeaders(
  headers: Record<string, string>,
  extra: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] =
      isSecretHeaderName(name) || extra.has(name.toLowerCase()) ? "[redacted]" : redactSecrets(value);
  }
  return out;
}

export class Recorder {
  constructor(private readonly directory: string) {}

  async write(recording: ScenarioRecording): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const text = redactSecrets(JSON.stringify(recording, null, 2));
    await writeFile(join(this.directory, `${recording.scenario}.json`), `${text}\n`, "utf8");
  }
}
