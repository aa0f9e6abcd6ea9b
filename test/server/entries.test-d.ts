import { describe, expectTypeOf, it } from "vitest";
import type * as nodeBuild from "../../src/server/index.js";
import type * as portable from "../../src/server/portable.js";

/** Mutual assignability: the same members with compatible types both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// One set of declarations serves both builds of `openresponses/server`, so their types must agree.
describe("openresponses/server declarations", () => {
  it("the portable build has the node build's API", () => {
    expectTypeOf<Same<typeof portable, typeof nodeBuild>>().toEqualTypeOf<true>();
    expectTypeOf<typeof portable.serve>().toEqualTypeOf<typeof nodeBuild.serve>();
    expectTypeOf<typeof portable.attachWebSocketMode>().toEqualTypeOf<typeof nodeBuild.attachWebSocketMode>();
  });
});
