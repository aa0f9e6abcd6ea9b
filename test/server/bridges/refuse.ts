/** A `Refuse` for unit tests of the request mappers: throws an error that carries the refused field. */

import type { Refuse } from "../../../src/server/bridges/refuse.js";
import { thrownAs } from "../../support/thrown.js";

export class Refused extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

export const refuse: Refuse = (param, message) => {
  throw new Refused(param, message);
};

/** The refusal `run` ends with (fails the test when it does not refuse). */
export function refusalOf(run: () => unknown): Refused {
  return thrownAs(Refused, run);
}
