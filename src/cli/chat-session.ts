/**
 * A `chat` conversation's context: a `previous_response_id` chain, or the full history resent when the
 * server cannot continue from a stored response. A turn that fails or is stopped leaves the context as
 * it was before that turn, so the conversation goes on from the last complete answer.
 */

import { APIError } from "../errors.js";
import type { ResponseResource } from "../spec/index.js";
import type { ChatPrinter } from "./chat-printer.js";
import type { Target } from "./target.js";

type Item = Record<string, unknown>;

export interface TurnSettings {
  json: boolean;
  instructions: string | undefined;
  reasoning: string | undefined;
  maxOutputTokens: number | undefined;
}

export class ChatSession {
  #history: Item[] = [];
  #previousId: string | undefined;
  /** Switched off when the server cannot continue from a stored response; then history is resent. */
  #chain = true;

  constructor(
    private readonly target: Target,
    private readonly settings: TurnSettings,
    private readonly printer: ChatPrinter,
  ) {}

  /** Forgets the context: the next turn starts a new conversation. */
  reset(): void {
    this.#history = [];
    this.#previousId = undefined;
  }

  /** Sends one user turn and prints the answer as it streams; `signal` stops it (the context stays). */
  async send(text: string, signal?: AbortSignal): Promise<ResponseResource> {
    const userItem: Item = { type: "message", role: "user", content: text };
    let response: ResponseResource;
    try {
      response = await this.#turn(userItem, this.#chain && this.#previousId !== undefined, signal);
    } catch (error) {
      if (!(this.#previousId !== undefined && this.#chain && isMissingPrevious(error)) || signal?.aborted)
        throw error;
      this.#chain = false;
      response = await this.#turn(userItem, false, signal);
    }
    this.#history.push(userItem, ...(response.output as unknown as Item[]));
    this.#previousId = response.store === false ? undefined : response.id;
    return response;
  }

  async #turn(userItem: Item, continueChain: boolean, signal?: AbortSignal): Promise<ResponseResource> {
    const { settings } = this;
    const body: Record<string, unknown> = {
      input: continueChain ? [userItem] : [...this.#history, userItem],
    };
    if (continueChain) body.previous_response_id = this.#previousId;
    if (this.target.model) body.model = this.target.model;
    if (settings.instructions) body.instructions = settings.instructions;
    if (settings.reasoning) body.reasoning = { effort: settings.reasoning, summary: "auto" };
    if (settings.maxOutputTokens !== undefined) body.max_output_tokens = settings.maxOutputTokens;
    const stream = this.target.client.responses.stream(body as never, signal ? { signal } : {});
    return this.printer.printTurn(await stream);
  }
}

function isMissingPrevious(error: unknown): boolean {
  if (!(error instanceof APIError)) return false;
  return (
    error.code === "previous_response_not_found" ||
    error.param === "previous_response_id" ||
    (error.status === 404 && /previous/i.test(error.message))
  );
}
