/** What `responses.parse({ ..., stream: true })` returns: a `PendingResponseStream` whose final response is parsed. */

import type { ResponseWithOutputText } from "../spec/index.js";
import { parseResponse } from "../structured/parse.js";
import { PendingResponseStream } from "./pending-stream.js";

export class ParsedResponseStream<Parsed extends ResponseWithOutputText> extends PendingResponseStream {
  #parsed: Promise<Parsed> | undefined;
  readonly #body: { text?: unknown; tools?: unknown };

  constructor(
    ...[result, abortRequest, body]: [
      ...ConstructorParameters<typeof PendingResponseStream>,
      { text?: unknown; tools?: unknown },
    ]
  ) {
    super(result, abortRequest);
    this.#body = body;
  }

  /**
   * The final response with `output_parsed` (and `parsed_arguments` on calls of schema-built tools);
   * rejects with a `ResponseParseError` when the text does not parse into the schema.
   */
  override finalResponse(): Promise<Parsed> {
    this.#parsed ??= super
      .finalResponse()
      .then((response) => parseResponse(response, this.#body) as unknown as Promise<Parsed>);
    return this.#parsed;
  }

  override async done(): Promise<void> {
    await this.finalResponse();
  }
}
