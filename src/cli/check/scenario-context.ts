/**
 * What a scenario works with: its findings, its deadline, and exchanges that apply every rule of their
 * kind as they happen (H1–H3 and E1/E2 for JSON, S1–S9 for SSE, W2/W8 for WebSocket turns), so a
 * scenario only states what is particular to it.
 */

import { isRecord, type JsonRecord } from "../../internal/guards.js";
import type { FindingList } from "./findings.js";
import { evidenceOf } from "./findings.js";
import { type HttpResult, httpExchange } from "./http-exchange.js";
import type { CheckLimits } from "./limits.js";
import type { RecordedExchange } from "./recorder.js";
import { redactHeaders } from "./recorder.js";
import type { Dialect } from "./report-types.js";
import { checkSchema } from "./schema-rules.js";
import { type SessionSequence, type StreamOutcome, StreamRules } from "./stream-rules.js";
import type { CheckTarget } from "./target.js";
import { WsSession } from "./ws-session.js";

/** Thrown by `ctx.skip`: the scenario cannot be judged against this server (with why). */
export class SkipScenario extends Error {}

/** Thrown when the server cannot be reached at all: the run stops with exit code 2. */
export class Unreachable extends Error {}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_INVALID_URL",
]);

/** E2: the usual status of each error type. */
const ERROR_TYPE_STATUS: Readonly<Record<string, number>> = {
  invalid_request: 400,
  not_found: 404,
  too_many_requests: 429,
  server_error: 500,
  model_error: 500,
};

export interface RunState {
  /** Set once any HTTP response or WebSocket upgrade arrived: a later refused connection is a finding. */
  reached: boolean;
  /** HTTP answers to the scenarios' requests, and how many of them were 404 (a wrong base URL). */
  answers: number;
  notFound: number;
}

export function newRunState(): RunState {
  return { reached: false, answers: 0, notFound: 0 };
}

export interface StreamResult extends StreamOutcome {
  /** False when the stream could not be judged (no 200, an error body): scenario checks stop. */
  ok: boolean;
  status: number | null;
}

export interface WsTurn extends StreamOutcome {
  /** The W8 error envelope that ended the turn, if one did. */
  envelope: JsonRecord | undefined;
  /** How the turn ended. */
  ending: "terminal" | "envelope" | "closed" | "timeout" | "too_large";
}

export class ScenarioContext {
  readonly exchanges: RecordedExchange[] = [];
  private readonly sessions: WsSession[] = [];
  /** The server refused the credentials (401/403) in this scenario: the run cannot count as a pass. */
  credentialsRefused = false;

  constructor(
    readonly target: CheckTarget,
    readonly findings: FindingList,
    readonly signal: AbortSignal,
    readonly limits: CheckLimits,
    readonly dialect: Dialect,
    private readonly state: RunState,
  ) {}

  skip(reason: string): never {
    throw new SkipScenario(reason);
  }

  /** A request body with the model filled in when one was given. */
  body(fields: JsonRecord): JsonRecord {
    return this.target.model !== undefined && !("model" in fields)
      ? { model: this.target.model, ...fields }
      : fields;
  }

  private async post(path: string, body: unknown, sse: boolean, rawBody?: string): Promise<HttpResult> {
    const result = await httpExchange(this.target, path, body, {
      signal: this.signal,
      limits: this.limits,
      sse,
      ...(rawBody !== undefined ? { rawBody } : {}),
    });
    result.record.request.headers = redactHeaders(result.record.request.headers, this.target.secretHeaders);
    this.exchanges.push(result.record);
    if (result.status !== null) {
      this.state.reached = true;
      this.state.answers++;
      if (result.status === 404) this.state.notFound++;
    } else if (!this.state.reached && result.errorCode !== null && UNREACHABLE_CODES.has(result.errorCode)) {
      throw new Unreachable(`Could not reach ${this.target.label}: ${result.error ?? "connection failed"}.`);
    }
    return result;
  }

  /** Findings for an exchange that did not end normally; true when it did. */
  private ended(result: { ending: string; error: string | null }, what: string): boolean {
    if (result.ending === "timeout") {
      this.findings.fail(
        "TIMEOUT",
        `${what}: the server never finished (${result.error ?? "deadline passed"}, limit ${this.limits.scenarioTimeoutMs} ms).`,
      );
    } else if (result.ending === "too_large") {
      this.findings.fail(
        "TOO_LARGE",
        `${what}: the server sent too much (${result.error ?? "over the cap"}).`,
      );
    } else if (result.ending === "network") {
      this.findings.fail("NETWORK", `${what}: the connection broke (${result.error ?? "unknown error"}).`);
    }
    return result.ending === "end";
  }

  /** The credentials were refused: the scenario is skipped, not failed, after E1 is judged on the body. */
  private refused(result: HttpResult, what: string): void {
    if (result.status === 401 || result.status === 403) {
      this.credentialsRefused = true;
      this.errorBody(result, what);
      this.skip(
        `the server refused the credentials (HTTP ${result.status}); pass --api-key (and --auth-header if it wants another header)`,
      );
    }
  }

  private parseJSON(result: HttpResult, what: string, rule: string): unknown {
    try {
      return JSON.parse(result.text);
    } catch {
      this.findings.fail(rule, `${what}: the body is not JSON.`, result.text);
      return undefined;
    }
  }

  /** POST /responses without streaming: H3 (application/json), H2 (a valid ResponseResource). */
  async createJSON(fields: JsonRecord, what: string): Promise<JsonRecord | undefined> {
    const result = await this.post("/responses", this.body({ ...fields, stream: false }), false);
    if (!this.ended(result, what)) return undefined;
    this.refused(result, what);
    if (result.status === null || result.status < 200 || result.status > 299) {
      this.findings.fail(
        "H2",
        `${what}: a valid request was answered with HTTP ${result.status}.`,
        result.text,
      );
      this.errorBody(result, what);
      return undefined;
    }
    if (!/^application\/json\b/i.test(result.contentType)) {
      this.findings.fail(
        "H3",
        `${what}: a non-streaming answer has Content-Type "${result.contentType}", not application/json.`,
      );
    }
    const value = this.parseJSON(result, what, "H3");
    if (value === undefined) return undefined;
    this.resource(value, what);
    return isRecord(value) ? value : undefined;
  }

  /** H2 for a ResponseResource (with extensions allowed, X1 for unknown items). */
  resource(value: unknown, what: string): void {
    checkSchema(this.findings, "H2", "ResponseResource", value, what);
  }

  /** POST /responses with `stream: true`: S1–S9 on the raw framing and on every event. */
  async createStream(
    fields: JsonRecord,
    what: string,
    options: { refusable?: string } = {},
  ): Promise<StreamResult> {
    const result = await this.post("/responses", this.body({ ...fields, stream: true }), true);
    const empty: StreamResult = {
      ok: false,
      status: result.status,
      events: [],
      terminal: undefined,
      response: undefined,
      items: new Map(),
    };
    if (result.status === null) {
      this.ended(result, what);
      return empty;
    }
    this.refused(result, what);
    if (options.refusable !== undefined && (result.status === 400 || result.status === 422)) {
      // An optional feature the server may decline: judged on its error body, then skipped with why.
      this.ended(result, what);
      this.errorBody(result, what);
      this.skip(`${options.refusable} (HTTP ${result.status})`);
    }
    if (result.status < 200 || result.status > 299) {
      this.ended(result, what);
      this.findings.fail(
        "H2",
        `${what}: a valid streaming request was answered with HTTP ${result.status}.`,
        result.text,
      );
      this.errorBody(result, what);
      return empty;
    }
    if (!/^text\/event-stream\b/i.test(result.contentType)) {
      this.findings.fail(
        "S1",
        `${what}: a streaming answer has Content-Type "${result.contentType}", not text/event-stream.`,
      );
    }
    const rules = new StreamRules(this.findings);
    let sawDone = false;
    let afterDone = 0;
    let idReported = false;
    for (const raw of result.events) {
      if (sawDone) {
        afterDone++;
        if (afterDone === 1) this.findings.fail("S3", `${what}: an event came after data: [DONE].`, raw.raw);
        continue;
      }
      if (raw.id !== undefined && !idReported) {
        idReported = true;
        this.findings.warn("S2", `${what}: the server sends \`id:\` fields (SHOULD NOT).`, raw.raw);
      }
      if (raw.data === undefined) {
        this.findings.fail("S1", `${what}: an event has no \`data:\` field.`, raw.raw);
        continue;
      }
      if (!raw.terminated && result.ending === "end") {
        this.findings.fail(
          "S1",
          `${what}: the body ended inside an event (no blank line after it), which SSE discards.`,
          raw.raw,
        );
      }
      if (raw.data === "[DONE]") {
        sawDone = true;
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(raw.data);
      } catch {
        this.findings.fail("S1", `${what}: an event's data is not JSON.`, raw.raw);
        continue;
      }
      const type = isRecord(value) ? value.type : undefined;
      if (raw.event === undefined) {
        this.findings.fail("S1", `${what}: an event has no \`event:\` field.`, raw.raw);
      } else if (typeof type === "string" && raw.event !== type) {
        this.findings.fail(
          "S2",
          `${what}: the event name "${raw.event}" differs from the JSON type "${type}".`,
          raw.raw,
        );
      }
      rules.event(value);
    }
    const ended = this.ended(result, what);
    const outcome = rules.end();
    if (ended && !sawDone) {
      const message = `${what}: the stream did not end with data: [DONE].`;
      if (this.dialect === "openai") this.findings.warn("S3", `${message} (accepted in the openai dialect)`);
      else this.findings.fail("S3", message, result.events.at(-1)?.raw);
    }
    if (!outcome.terminal) {
      this.findings.fail(
        "S5",
        `${what}: the stream has no terminal event (response.completed, .incomplete or .failed).`,
      );
    }
    return { ...outcome, ok: ended, status: result.status };
  }

  /**
   * A request the server must refuse. E1 on the body; E2 on the type and status. Returns the error
   * object when there was one.
   */
  async expectError(
    path: string,
    body: unknown,
    what: string,
    options: { statuses: number[]; rawBody?: string; acceptedRule?: string },
  ): Promise<JsonRecord | undefined> {
    const result = await this.post(path, body, false, options.rawBody);
    if (!this.ended(result, what)) return undefined;
    if (result.status === 401 || result.status === 403) this.refused(result, what);
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      this.findings.fail(
        options.acceptedRule ?? "E2",
        `${what}: the server accepted it (HTTP ${result.status}); it must answer ${options.statuses.join(" or ")}.`,
        result.text,
      );
      return undefined;
    }
    const error = this.errorBody(result, what);
    if (result.status !== null && !options.statuses.includes(result.status)) {
      const severe = result.status >= 500;
      this.findings.add(
        options.acceptedRule ?? "E2",
        severe ? "fail" : "warn",
        `${what}: answered HTTP ${result.status}; expected ${options.statuses.join(" or ")}.`,
        error,
      );
    }
    return error;
  }

  /** E1: an HTTP error body is `{ error: { message, type, param, code } }`; E2: its type and status agree. */
  errorBody(result: HttpResult, what: string): JsonRecord | undefined {
    let value: unknown;
    try {
      value = JSON.parse(result.text);
    } catch {
      this.findings.fail("E1", `${what}: the HTTP ${result.status} error body is not JSON.`, result.text);
      return undefined;
    }
    const error = isRecord(value) ? value.error : undefined;
    if (!isRecord(error)) {
      this.findings.fail(
        "E1",
        `${what}: the HTTP ${result.status} error body is not { "error": { ... } }.`,
        value,
      );
      return undefined;
    }
    if (typeof error.message !== "string")
      this.findings.fail("E1", `${what}: the error has no string \`message\`.`, value);
    if (typeof error.type !== "string")
      this.findings.fail("E1", `${what}: the error has no string \`type\`.`, value);
    for (const field of ["param", "code"]) {
      if (!(field in error))
        this.findings.warn(
          "E1",
          `${what}: the error has no \`${field}\` (E1 lists message, type, param and code; null when unknown).`,
          value,
        );
      else if (error[field] !== null && typeof error[field] !== "string")
        this.findings.fail("E1", `${what}: the error's \`${field}\` is neither a string nor null.`, value);
    }
    if (!/^application\/json\b/i.test(result.contentType)) {
      this.findings.warn(
        "H3",
        `${what}: the error body has Content-Type "${result.contentType}", not application/json.`,
      );
    }
    if (typeof error.type === "string" && result.status !== null) {
      const usual = ERROR_TYPE_STATUS[error.type];
      if (usual === undefined) {
        this.findings.warn(
          "E2",
          `${what}: error type "${error.type}" is not one of the specification's (${Object.keys(ERROR_TYPE_STATUS).join(", ")}).`,
          error,
        );
      } else if (
        usual !== result.status &&
        !(error.type === "invalid_request" && result.status >= 400 && result.status < 500)
      ) {
        this.findings.warn(
          "E2",
          `${what}: error type "${error.type}" usually comes with HTTP ${usual}, not ${result.status}.`,
          error,
        );
      }
    }
    return error;
  }

  /** POST /responses/compact: H2, a CompactResource whose `object` is `response.compaction`. */
  async compact(fields: JsonRecord, what: string): Promise<JsonRecord | undefined> {
    if (this.target.model === undefined) this.skip("compaction needs a model (H2); pass --model");
    const result = await this.post("/responses/compact", this.body(fields), false);
    if (!this.ended(result, what)) return undefined;
    this.refused(result, what);
    if (result.status === null || result.status < 200 || result.status > 299) {
      if (result.status === 404) this.skip(`the server has no /responses/compact (HTTP 404)`);
      this.findings.fail(
        "H2",
        `${what}: a valid compaction request was answered with HTTP ${result.status}.`,
        result.text,
      );
      this.errorBody(result, what);
      return undefined;
    }
    if (!/^application\/json\b/i.test(result.contentType)) {
      this.findings.fail("H3", `${what}: Content-Type "${result.contentType}", not application/json.`);
    }
    const value = this.parseJSON(result, what, "H3");
    if (!isRecord(value)) return undefined;
    checkSchema(this.findings, "H2", "CompactResource", value, what);
    return value;
  }

  /** Opens a WebSocket on `{base}/responses` (W1). */
  async openSocket(what: string): Promise<WsSession> {
    const recorded = redactHeaders(this.target.headers, this.target.secretHeaders);
    const opened = await WsSession.open(
      this.target.wsURL,
      this.target.headers,
      recorded,
      this.signal,
      this.limits,
    );
    if (opened instanceof WsSession) {
      this.state.reached = true;
      this.sessions.push(opened);
      this.exchanges.push(opened.record);
      return opened;
    }
    if (opened.status === 401 || opened.status === 403) {
      this.credentialsRefused = true;
      this.skip(`the server refused the credentials on the WebSocket upgrade (HTTP ${opened.status})`);
    }
    // WebSocket mode is optional (W1): any HTTP answer to the upgrade means the server has none.
    if (opened.status !== null) {
      this.skip(`the server has no WebSocket mode (the upgrade was answered with HTTP ${opened.status})`);
    }
    if (!this.state.reached && opened.code !== null && UNREACHABLE_CODES.has(opened.code)) {
      throw new Unreachable(`Could not reach ${this.target.label}: ${opened.error}.`);
    }
    this.findings.fail(
      this.signal.aborted ? "TIMEOUT" : "NETWORK",
      `${what}: the WebSocket did not open (${opened.error}).`,
    );
    return this.skip("the WebSocket did not open");
  }

  /**
   * One turn: sends `response.create` and reads until the terminal event or a W8 error envelope. The
   * events go through the same rules as SSE (W2).
   */
  async turn(
    session: WsSession,
    fields: JsonRecord,
    what: string,
    sequence: SessionSequence,
  ): Promise<WsTurn> {
    session.send({ type: "response.create", ...this.body(fields) });
    return this.readTurn(session, what, sequence);
  }

  async readTurn(session: WsSession, what: string, sequence: SessionSequence): Promise<WsTurn> {
    const rules = new StreamRules(this.findings, sequence);
    let envelope: JsonRecord | undefined;
    let ending: WsTurn["ending"] = "terminal";
    for (;;) {
      const read = await session.next(this.signal);
      if (read.kind === "timeout") {
        ending = "timeout";
        this.findings.fail(
          "TIMEOUT",
          `${what}: the turn never finished (limit ${this.limits.scenarioTimeoutMs} ms).`,
        );
        break;
      }
      if (read.kind === "too_large") {
        ending = "too_large";
        this.findings.fail("TOO_LARGE", `${what}: the server sent too much (${read.message}).`);
        break;
      }
      if (read.kind === "closed") {
        ending = "closed";
        this.findings.fail(
          "NETWORK",
          `${what}: the server closed the WebSocket mid-turn (code ${read.code}${read.reason ? `, "${read.reason}"` : ""}).`,
        );
        break;
      }
      let value: unknown;
      try {
        value = JSON.parse(read.data);
      } catch {
        this.findings.fail("W2", `${what}: a WebSocket message is not JSON.`, read.data);
        continue;
      }
      if (isRecord(value) && value.type === "error" && ("status" in value || !("sequence_number" in value))) {
        envelope = value;
        ending = "envelope";
        this.envelope(value, what);
        if ((value.error as { code?: unknown } | undefined)?.code === "websocket_connection_limit_reached") {
          await this.afterLimit(session, what);
        }
        break;
      }
      rules.event(value);
      if (rules.finished) break;
    }
    const outcome = rules.end();
    return { ...outcome, envelope, ending };
  }

  /** W7: the connection limit ends the connection; the server answers nothing more on it. */
  private async afterLimit(session: WsSession, what: string): Promise<void> {
    const extra = await session.drainFor(300, this.signal);
    if (extra.length > 0) {
      this.findings.fail(
        "W7",
        `${what}: the server kept sending after websocket_connection_limit_reached.`,
        extra[0],
      );
    }
    this.skip("the server reached its connection limit (websocket_connection_limit_reached)");
  }

  /** W8: `{ type: "error", status, error: { code, message, type?, param? } }`. */
  envelope(value: JsonRecord, what: string): void {
    checkSchema(this.findings, "W8", "WebSocketErrorEvent", value, `${what}: the WebSocket error`);
    const status = value.status;
    if (typeof status === "number" && (status < 400 || status > 599)) {
      this.findings.fail(
        "W8",
        `${what}: the WebSocket error's status ${status} is not an HTTP error status.`,
        value,
      );
    }
  }

  /** Closes the scenario's sockets. */
  close(): void {
    for (const session of this.sessions) session.close();
  }

  evidence(value: unknown): string | null {
    return evidenceOf(value);
  }
}
