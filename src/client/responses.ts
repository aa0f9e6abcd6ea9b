/**
 * `client.responses`: create, stream, compact and connect (a WebSocket session), plus the
 * stored-response extensions retrieve, delete and inputItems.list (see `stored-responses.ts`).
 */

import { type AcceptedAnswer, APIPromise, unreadCopy, type WithResponse } from "../core/api-promise.js";
import { readBodyWithin } from "../core/body.js";
import type { RequestOptions } from "../core/options.js";
import type { RequestTool, ResponseCreateParams } from "../core/request-types.js";
import type { JSONResult, Transport } from "../core/transport.js";
import { APIError, OpenResponsesError } from "../errors.js";
import { isRecord } from "../internal/guards.js";
import { redactError } from "../internal/redact.js";
import type { CompactResponseMethodPublicBody, ResponseResource } from "../spec/index.js";
import { ResponseStream, type ResponseStreamOptions, type SSEMessage } from "../streaming/index.js";
import type { ParsedResponseOf, ParseTool } from "../structured/parse.js";
import { toWireTools } from "../structured/wire-tools.js";
import type { RunToolsBody, RunToolsOptions, ToolRunResult } from "../tools/run-types.js";
import { ToolRunStream } from "../tools/runner.js";
import { type ConnectOptions, connectWithClient } from "../websocket/connect.js";
import type { ResponsesSocket } from "../websocket/session.js";
import { type CompactResult, type ResponseResult, toResponseResult, withRequestId } from "./output-text.js";
import { ParsedResponseStream } from "./parsed-stream.js";
import { PendingResponseStream } from "./pending-stream.js";
import { deleteResponse, InputItems, type ResponseDeleted, retrieveResponse } from "./stored-responses.js";

/** A request body for `responses.stream()`: `stream` is set for you. */
export type StreamResponseBody = Omit<ResponseCreateParams, "stream">;

/**
 * A request body for `responses.parse()`: `text.format` from `jsonSchemaFormat`/`zodTextFormat`, and
 * `tools` that may include schema-built (`zodFunction`) and runnable (`tool()`) ones.
 */
export type ParseRequestBody = Omit<ResponseCreateParams, "tools"> & {
  tools?: ReadonlyArray<RequestTool | ParseTool> | null;
};

/** What `Responses` needs from its client; kept small so the WebSocket session can reuse it. */
export interface ResponsesContext {
  readonly transport: Transport;
  /** Default protocol-checker mode for streams. */
  readonly strict: boolean;
  /** Filled into a body without `model` (the `model` option or `OPENRESPONSES_MODEL`). */
  readonly model: string | undefined;
}

export class Responses {
  /**
   * `GET {base}/responses/{id}/input_items`, page by page: `await list(id)` is the first page, and
   * `for await (const item of list(id))` goes over every item of every page. An extension endpoint.
   */
  readonly inputItems: InputItems;

  /** @internal What the methods use of the client. */
  protected readonly context: ResponsesContext;

  /** @internal The client builds it: use `client.responses`. */
  constructor(context: ResponsesContext) {
    this.context = context;
    this.inputItems = new InputItems(context.transport);
  }

  /**
   * `GET {base}/responses/{id}`: a stored response, with `output_text` as `create()` gives it. An
   * extension endpoint: a server without it gives an `EndpointNotSupportedError`.
   */
  retrieve(id: string, options?: RequestOptions): APIPromise<ResponseResult> {
    return retrieveResponse(this.context.transport, id, options);
  }

  /** `DELETE {base}/responses/{id}`. An extension endpoint, like `retrieve`. */
  delete(id: string, options?: RequestOptions): APIPromise<ResponseDeleted> {
    return deleteResponse(this.context.transport, id, options);
  }

  /**
   * `POST {base}/responses`. Resolves to the `ResponseResource` (with `output_text` and `_request_id`),
   * or, with `stream: true`, to a `ResponseStream` once the response headers have arrived.
   */
  create(body: ResponseCreateParams & { stream: true }, options?: RequestOptions): APIPromise<ResponseStream>;
  create(
    body: ResponseCreateParams & { stream?: false | null | undefined },
    options?: RequestOptions,
  ): APIPromise<ResponseResult>;
  create(body: ResponseCreateParams, options?: RequestOptions): APIPromise<ResponseStream | ResponseResult>;
  create(body: ResponseCreateParams, options?: RequestOptions): APIPromise<ResponseStream | ResponseResult> {
    if (isRecord(body) && body.stream === true) return new APIPromise(this.#openStream(body, options));
    return new APIPromise(this.#createJSON(body, options));
  }

  /**
   * `POST {base}/responses` with `stream: true`. Returns at once; await it for the `ResponseStream`, or
   * iterate / call `.finalResponse()` on it directly.
   */
  stream(body: StreamResponseBody, options?: RequestOptions): PendingResponseStream {
    return this.#pendingStream(body, options, (result, abort) => new PendingResponseStream(result, abort));
  }

  /**
   * Structured outputs: `create()`, then the response read back through the request's schemas —
   * `output_parsed` from `text.format` (built with `jsonSchemaFormat`/`zodTextFormat` from a zod 3/4
   * schema or any Standard Schema), `parsed_arguments` on the calls of `zodFunction`/`tool()` tools.
   * Rejects with a `ResponseParseError` (carrying the raw text) when the model's JSON does not parse or
   * does not match. With `stream: true`, returns a stream whose `finalResponse()` is parsed.
   */
  parse<Body extends ParseRequestBody & { stream: true }>(
    body: Body,
    options?: RequestOptions,
  ): ParsedResponseStream<ParsedResponseOf<Body>>;
  parse<Body extends ParseRequestBody & { stream?: false | null | undefined }>(
    body: Body,
    options?: RequestOptions,
  ): APIPromise<ParsedResponseOf<Body>>;
  parse(
    body: ParseRequestBody,
    options?: RequestOptions,
  ):
    | APIPromise<ParsedResponseOf<ParseRequestBody>>
    | ParsedResponseStream<ParsedResponseOf<ParseRequestBody>> {
    const checked = requireBody(body, "responses.parse");
    const wire = (
      checked.tools === undefined || checked.tools === null
        ? checked
        : { ...checked, tools: toWireTools(checked.tools) }
    ) as ResponseCreateParams;
    if (checked.stream === true) {
      const { stream: _stream, ...rest } = wire;
      return this.#pendingStream(
        rest,
        options,
        (result, abort) =>
          new ParsedResponseStream<ParsedResponseOf<ParseRequestBody>>(result, abort, checked),
      );
    }
    const answer = this.#createJSON(wire, options).then(
      (accepted): AcceptedAnswer<ParsedResponseOf<ParseRequestBody>> => ({
        ...accepted,
        read: async () => {
          const response = await accepted.read();
          const { parseResponse } = await import("../on-demand.js");
          return (await parseResponse(response, checked)) as unknown as ParsedResponseOf<ParseRequestBody>;
        },
      }),
    );
    return new APIPromise(answer);
  }

  #pendingStream<S extends PendingResponseStream>(
    body: StreamResponseBody,
    options: RequestOptions | undefined,
    make: (result: Promise<WithResponse<ResponseStream>>, abort: (reason?: unknown) => void) => S,
  ): S {
    const local = new AbortController();
    let opened: ResponseStream | undefined;
    const result = this.#openStream(isRecord(body) ? { ...body, stream: true } : body, {
      ...options,
      signal: linkSignals(options?.signal ?? undefined, local.signal),
    }).then(async (answer): Promise<WithResponse<ResponseStream>> => {
      opened = await answer.read();
      const { response, requestId } = answer;
      return { data: opened, response, requestId, request_id: requestId };
    });
    return make(result, (reason) => {
      // The reason reaches the stream too, so finalResponse() rejects with it as the abort's cause.
      if (opened) opened.abort(reason);
      local.abort(reason);
    });
  }

  /** `POST {base}/responses/compact`: resolves to the `CompactResource` (with `_request_id`). */
  compact(body: CompactResponseMethodPublicBody, options?: RequestOptions): APIPromise<CompactResult> {
    const result = (async (): Promise<AcceptedAnswer<CompactResult>> => {
      const r = await this.context.transport.requestJSON<CompactResult>({
        method: "POST",
        path: "/responses/compact",
        body: this.#withModel(requireBody(body, "responses.compact")),
        options,
      });
      return jsonAnswer(r, withRequestId(r.data, r.requestId));
    })();
    return new APIPromise(result);
  }

  /**
   * A tool-calling loop: creates a response, runs the function calls it makes with the runnable tools
   * (`tool()`) in `body.tools`, sends the outputs back, and repeats until a response calls no tool (or
   * `maxTurns`). Resolves to the final response, every turn's response and all items; with
   * `stream: true`, returns a `ToolRunStream` of every turn's events instead. See `src/tools/`.
   */
  runTools(body: RunToolsBody & { stream: true }, options?: RunToolsOptions): ToolRunStream;
  runTools(body: RunToolsBody & { stream?: false | null }, options?: RunToolsOptions): Promise<ToolRunResult>;
  runTools(body: RunToolsBody, options?: RunToolsOptions): ToolRunStream | Promise<ToolRunResult>;
  runTools(body: RunToolsBody, options?: RunToolsOptions): ToolRunStream | Promise<ToolRunResult> {
    const host = { stream: this.stream.bind(this), strict: this.context.strict };
    const run = new ToolRunStream(host, body, options);
    return body?.stream === true ? run : run.finalResult();
  }

  // ── WebSocket mode ─────────────────────────────────────────────────────────────────────────────────
  /**
   * Opens a WebSocket session on `{base}/responses` (rule W1). Each `session.create(body)` is a turn,
   * returned as a `ResponseStream`; turns run one at a time (W3). See `ResponsesSocket`.
   */
  connect(options?: ConnectOptions): ResponsesSocket {
    return connectWithClient(this.context, options);
  }
  // ── end of WebSocket mode ──────────────────────────────────────────────────────────────────────────

  async #createJSON(
    body: ResponseCreateParams,
    options?: RequestOptions,
  ): Promise<AcceptedAnswer<ResponseResult>> {
    const r = await this.context.transport.requestJSON<ResponseResource>({
      method: "POST",
      path: "/responses",
      body: withExtraBody(this.#withModel(requireBody(body, "responses.create")), options),
      options,
    });
    return jsonAnswer(r, toResponseResult(r.data, r.requestId));
  }

  async #openStream(
    body: ResponseCreateParams,
    options?: RequestOptions,
  ): Promise<AcceptedAnswer<ResponseStream>> {
    const { transport, strict } = this.context;
    const accepted = await transport.requestStream({
      method: "POST",
      path: "/responses",
      body: withExtraBody(
        this.#withModel({ ...requireBody(body, "responses.stream"), stream: true }),
        options,
      ),
      options,
    });
    const streamOptions = {
      strict: options?.strict ?? strict,
      maxResponseBytes: transport.maxResponseBytes(options),
      maxEventSize: transport.maxEventBytes(options),
      abort: accepted.abort,
      response: accepted.httpResponse,
      requestId: accepted.requestId,
    };
    const contentType = accepted.httpResponse.headers.get("content-type") ?? "";
    const { httpResponse, requestId } = accepted;
    if (/\bjson\b/i.test(contentType)) {
      const stream = await this.#streamFromJSON(
        accepted.response,
        streamOptions,
        transport.maxBodyBytes(options),
      );
      return { response: httpResponse, requestId, read: () => stream, unread: () => httpResponse };
    }
    // The stream is opened on demand, so that `asResponse()` can hand out the body unread instead.
    let taken: "stream" | "body" | null = null;
    let stream: ResponseStream | undefined;
    return {
      response: httpResponse,
      requestId,
      read: () => {
        if (taken === "body") {
          throw new OpenResponsesError("The stream's body was taken by asResponse(); read it from there.");
        }
        taken = "stream";
        stream ??=
          accepted.reader === null
            ? ResponseStream.fromSSEResponse(accepted.response, streamOptions)
            : ResponseStream.fromBodyReader(accepted.reader, streamOptions);
        return stream;
      },
      unread: () => {
        if (taken === "stream") return httpResponse;
        taken = "body";
        return withURL(accepted.response, httpResponse.url);
      },
    };
  }

  /**
   * Some servers ignore `stream: true` and answer with the finished JSON resource (breaking rule S1).
   * Rather than fail, deliver it as a one-event stream ending in the matching terminal event; the protocol
   * checker records the missing lifecycle (and throws in strict mode).
   */
  async #streamFromJSON(
    response: Response,
    options: ResponseStreamOptions,
    maxBodyBytes: number,
  ): Promise<ResponseStream> {
    const text = await readBodyWithin(response, maxBodyBytes);
    let resource: unknown;
    try {
      resource = JSON.parse(text);
    } catch (cause) {
      throw new APIError(`${response.status} Asked for a stream; the server answered with invalid JSON.`, {
        status: response.status,
        requestId: options.requestId,
        cause: redactError(cause), // JSON.parse quotes the body it could not parse
      });
    }
    const status = (resource as { status?: unknown } | null)?.status;
    const type =
      status === "failed"
        ? "response.failed"
        : status === "incomplete"
          ? "response.incomplete"
          : "response.completed";
    this.context.transport.config.logger.warn(
      "Asked for a stream (stream: true) but the server answered with JSON; delivering it as a single " +
        type +
        " event.",
    );
    const data = JSON.stringify({ type, sequence_number: 0, response: resource });
    return ResponseStream.fromMessages(oneMessage({ event: type, data }), options);
  }

  #withModel<T extends { model?: string | null }>(body: T): T {
    if ((body.model === undefined || body.model === null) && this.context.model !== undefined) {
      return { ...body, model: this.context.model };
    }
    return body;
  }
}

/** A JSON answer: its value is already parsed; `asResponse()` gets the same bytes as a fresh body. */
function jsonAnswer<T>(r: JSONResult<unknown>, data: T): AcceptedAnswer<T> {
  return {
    response: r.response,
    requestId: r.requestId,
    read: () => data,
    unread: () => unreadCopy(r.response, r.text),
  };
}

function withURL(response: Response, url: string): Response {
  if (url && !response.url) Object.defineProperty(response, "url", { value: url });
  return response;
}

/** The `extraBody` request option: fields laid over the body as they are (the untyped escape hatch). */
function withExtraBody<T extends object>(body: T, options: RequestOptions | undefined): T {
  const extra = options?.extraBody;
  return extra ? { ...body, ...extra } : body;
}

/** A body that is not a JSON object is a programming error: say so before anything is sent. */
function requireBody<T>(body: T, method: string): T {
  if (!isRecord(body)) {
    const got = body === null ? "null" : Array.isArray(body) ? "an array" : typeof body;
    throw new OpenResponsesError(`${method}() needs a request body object, got ${got}.`);
  }
  return body;
}

/** An AbortSignal that fires when either input does (with a fallback where AbortSignal.any is missing). */
function linkSignals(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  if (!a) return b;
  // AbortSignal.any holds its inputs weakly, so a long-lived caller signal does not collect listeners.
  if (typeof AbortSignal.any === "function") return AbortSignal.any([a, b]);
  const controller = new AbortController();
  const forward = (source: AbortSignal) => () => controller.abort(source.reason);
  if (a.aborted) controller.abort(a.reason);
  else if (b.aborted) controller.abort(b.reason);
  else {
    a.addEventListener("abort", forward(a), { once: true });
    b.addEventListener("abort", forward(b), { once: true });
  }
  return controller.signal;
}

async function* oneMessage(message: SSEMessage): AsyncGenerator<SSEMessage> {
  yield message;
}
