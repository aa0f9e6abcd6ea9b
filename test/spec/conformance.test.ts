/**
 * Proves that the zero-dependency runtime validator agrees with the official schema, using ajv over
 * openapi.json as the reference, for every one of the component schemas.
 */

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { expect, it } from "vitest";
import { isValid, type SchemaName, schemaNames, validate } from "../../src/spec/index.js";
import { describeWith, loadOpenAPI, needs, SHARED_SPEC_DIR } from "../support/needs.js";
import { formatPath, type Mode, makeGenerator, mutate, type Schema } from "./instances.js";

interface OpenAPI {
  components: { schemas: Record<string, Schema> };
}

function loadSpecFile<T>(name: string): T {
  return JSON.parse(readFileSync(resolve(SHARED_SPEC_DIR, name), "utf8")) as T;
}

describeWith(needs.sharedSpec(), "conformance with openapi.json (reference: ajv)", () => {
  const doc = loadOpenAPI<OpenAPI>() ?? { components: { schemas: {} } };
  const components = doc.components.schemas;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  ajv.addSchema(doc as object, "openapi.json");
  const reference = (name: string) => {
    const check = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
    if (!check) throw new Error(`ajv could not compile ${name}`);
    return check;
  };
  const { generate } = makeGenerator(components);
  const names = Object.keys(components);

  /** Both validators on one value; also checks that `validate` and `isValid` agree with each other. */
  function judge(name: string, value: unknown): { ajv: boolean; ours: boolean } {
    const ours = isValid(name as SchemaName, value);
    const result = validate(name as SchemaName, value);
    expect(result.valid, `validate() and isValid() disagree on ${name}`).toBe(ours);
    if (!result.valid) expect(result.errors.length).toBeGreaterThan(0);
    return { ajv: reference(name)(value) as boolean, ours };
  }

  it("covers every component schema (108), in the same order as the runtime schemas", () => {
    expect(names).toHaveLength(108);
    expect([...schemaNames]).toEqual(names);
  });

  for (const name of names) {
    it(`${name}: accepts generated valid instances and rejects broken ones, like ajv`, () => {
      const schema = components[name]!;
      let accepted: Record<Mode, number> = { minimal: 0, maximal: 0 };
      const seen = new Map<string, boolean>();
      let mutations = 0;
      for (const mode of ["minimal", "maximal"] as const) {
        for (let variant = 0; variant < 4; variant++) {
          const { value, sites } = generate(schema, mode, variant);
          const key = JSON.stringify(value);
          const known = seen.get(key);
          if (known !== undefined) {
            // Same instance as an earlier one (e.g. minimal = maximal when every field is required).
            if (known) accepted = { ...accepted, [mode]: accepted[mode] + 1 };
            continue;
          }
          const verdict = judge(name, value);
          seen.set(key, verdict.ajv);
          expect(verdict.ours, `${name} ${mode}#${variant}: ${key}`).toBe(verdict.ajv);
          if (!verdict.ajv) continue;
          accepted = { ...accepted, [mode]: accepted[mode] + 1 };
          for (const site of sites) {
            const where = `${name} ${mode}#${variant} ${site.kind} at ${formatPath(site.path) || "(root)"}`;
            const broken =
              site.kind === "required"
                ? mutate(value, site.path, { remove: true })
                : mutate(value, site.path, { replace: "__not_in_the_enum__" });
            const result = judge(name, broken);
            expect(result.ours, where).toBe(result.ajv);
            // Outside a union nothing else can accept the broken value: both must reject it.
            if (!site.underUnion) expect(result.ours, `${where} must be rejected`).toBe(false);
            mutations++;
            if (site.kind === "required") {
              // A wrong type in a required place: still the same verdict from both.
              const wrongType = judge(name, mutate(value, site.path, { replace: [12345] }));
              expect(wrongType.ours, `${where} (wrong type)`).toBe(wrongType.ajv);
            }
          }
        }
      }
      expect(accepted.minimal, `no valid minimal instance of ${name}`).toBeGreaterThan(0);
      expect(accepted.maximal, `no valid maximal instance of ${name}`).toBeGreaterThan(0);
      const hasSites =
        JSON.stringify(schema).includes('"required":["') || JSON.stringify(schema).includes('"enum"');
      if (hasSites) expect(mutations).toBeGreaterThan(0);
    });
  }

  it("example-ResponseParam.json (with `model: null`) is a valid CreateResponseBody for both", () => {
    const example = loadSpecFile<unknown>("example-ResponseParam.json");
    expect(judge("CreateResponseBody", example)).toEqual({ ajv: true, ours: true });
  });

  it("example-ResponseResource.json: both reject it, for the same missing required fields", () => {
    const example = loadSpecFile<unknown>("example-ResponseResource.json");
    // The specification's own example omits presence_penalty, frequency_penalty, top_logprobs and
    // text.format, which its schema requires; the validators must agree on that, not paper over it.
    expect(judge("ResponseResource", example)).toEqual({ ajv: false, ours: false });
    const check = reference("ResponseResource");
    check(example);
    const ajvMissing = (check.errors ?? [])
      .filter((error) => error.keyword === "required")
      .map((error) => {
        const parent = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
        const field = (error.params as { missingProperty: string }).missingProperty;
        return parent ? `${parent}.${field}` : field;
      })
      .sort();
    const result = validate("ResponseResource", example);
    const ours = result.valid ? [] : result.errors.map((issue) => issue.path).sort();
    expect(ours).toEqual(ajvMissing);
    expect(ours).toEqual(["frequency_penalty", "presence_penalty", "text.format", "top_logprobs"]);
  });

  it("example-ResponseResource.json becomes valid for both once the required fields are filled in", () => {
    const example = loadSpecFile<Record<string, unknown>>("example-ResponseResource.json");
    const fixed = {
      ...example,
      presence_penalty: 0,
      frequency_penalty: 0,
      top_logprobs: 0,
      text: { format: { type: "text" } },
    };
    expect(judge("ResponseResource", fixed)).toEqual({ ajv: true, ours: true });
  });

  it("agrees with ajv on arbitrary JSON values (property test, bounded)", () => {
    const sample: SchemaName[] = [
      "CreateResponseBody",
      "ItemParam",
      "ItemField",
      "ToolChoiceParam",
      "MetadataParam",
      "ResponseOutputItemAddedStreamingEvent",
      "TextFormatParam",
      "InputImageContentParamAutoParam",
    ];
    fc.assert(
      fc.property(fc.constantFrom(...sample), fc.jsonValue({ maxDepth: 3 }), (name, value) => {
        const verdict = judge(name, value);
        return verdict.ajv === verdict.ours;
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("agrees with ajv on string lengths counted in code points (astral characters)", () => {
    const emoji = "😀".repeat(64); // 128 UTF-16 units, 64 code points: at the limit of 64.
    for (const value of [emoji, `${emoji}😀`]) {
      const body = { safety_identifier: value };
      const verdict = judge("CreateResponseBody", body);
      expect(verdict.ours).toBe(verdict.ajv);
    }
    expect(isValid("CreateResponseBody", { safety_identifier: emoji })).toBe(true);
  });
});
