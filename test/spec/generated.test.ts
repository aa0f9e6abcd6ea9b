/**
 * One source of truth: the committed `*.gen.ts` files must be exactly what the generator makes from
 * openapi.json today.
 */

import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate, readSpec, SCHEMAS_PATH, SPEC_PATH, TYPES_PATH } from "../../scripts/generate-spec.js";

const present = existsSync(SPEC_PATH);
if (!present) {
  console.warn(`[generated] SKIPPED: ${SPEC_PATH} is absent, so the generated files cannot be checked.`);
}

describe.skipIf(!present)("generated files are up to date with openapi.json", () => {
  const doc = present ? readSpec() : { components: { schemas: {} } };
  const fresh = generate(doc);

  it("src/spec/types.gen.ts matches a fresh generation (run `npm run generate:spec` if not)", () => {
    expect(readFileSync(TYPES_PATH, "utf8")).toBe(fresh.types);
  });

  it("src/spec/schemas.gen.ts matches a fresh generation (run `npm run generate:spec` if not)", () => {
    expect(readFileSync(SCHEMAS_PATH, "utf8")).toBe(fresh.schemas);
  });

  it("declares one exported type per component schema, with the same name", () => {
    for (const name of Object.keys(doc.components.schemas)) {
      expect(fresh.types).toMatch(new RegExp(`^export (interface|type) ${name}\\b`, "m"));
    }
  });

  it("keeps descriptions as JSDoc in the types but strips them from the runtime schemas", () => {
    expect(fresh.types).toContain("/** The unique ID of the response that was created. */");
    // An annotation holds a string; a property that happens to be named `description` holds a schema.
    expect(fresh.schemas).not.toMatch(/"description":"/);
    expect(fresh.schemas).not.toMatch(/"(example|title)":"/);
    expect(fresh.schemas).toContain('"description":{"anyOf"');
  });

  it("fails loudly on a JSON Schema keyword the validator would not understand", () => {
    const bad = { components: { schemas: { Weird: { type: "string", format: "uri" } } } };
    expect(() => generate(bad)).toThrow(/Weird: unsupported JSON Schema keyword "format"/);
  });
});
