/**
 * How the handler uses the idempotency cache (`idempotency.ts`): a `POST` carrying an `Idempotency-Key`
 * is answered once per key (a repeat gets the recorded answer, or a refusal); one without a key, or with
 * idempotency turned off, just runs.
 */

import type { Claim, IdempotencyCache } from "./idempotency.js";
import { errorResponse } from "./kit-error.js";

/** What an answer needs from a claim: recording its `Response`. A request without a key gets `NOT_CLAIMED`. */
export type Claimed = Pick<Extract<Claim, { kind: "run" }>, "finish">;

const NOT_CLAIMED: Claimed = { finish: async (response) => response };

/** Runs `answer` once per Idempotency-Key; an answer that throws releases the key, so a retry runs. */
export async function answerOnce(
  idempotency: IdempotencyCache | null,
  request: Request,
  bytes: Uint8Array,
  answer: (claim: Claimed) => Promise<Response>,
): Promise<Response> {
  const key = request.headers.get("idempotency-key");
  if (key === null || idempotency === null) return answer(NOT_CLAIMED);
  const claim = await idempotency.claim(request, key, bytes);
  if (claim.kind === "replay") return claim.response;
  if (claim.kind === "refuse") return errorResponse(claim.error);
  try {
    return await answer(claim);
  } catch (error) {
    claim.release();
    throw error;
  }
}
