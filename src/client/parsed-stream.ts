/**
 * What `responses.parse({ ..., stream: true })` returns: a `PendingResponseStream` whose final response
 * is parsed.
 */

import { loadOnDemand } from "../core/load-on-demand.js";
import type { ResponseWithOutputText } from "../spec/index.js";
import { withRequestId } from "./output-text.js";
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
    this.#parsed ??= (async () => {
      const stream = await this;
      const response = withRequestId(await stream.finalResponse(), stream.requestId);
      // The schema reading is imported when a parsed response is first asked for.
      const { parseResponse } = await loadOnDemand("parse()");
      return (await parseResponse(response, this.#body)) as unknown as Parsed;
    })();
    return this.#parsed;
  }

  override async done(): Promise<void> {
    await this.finalResponse();
  }
}
