import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { anchorsOf, linksOf, slugOf } from "./markdown-links.js";

const ROOT = resolve(import.meta.dirname, "../..");
const GUIDES = readdirSync(resolve(ROOT, "docs"))
  .filter((name) => name.endsWith(".md"))
  .sort()
  .map((name) => `docs/${name}`);
const DOCUMENTS = ["README.md", ...GUIDES];
const text = (path: string) => readFileSync(resolve(ROOT, path), "utf8");

/** Every relative link of a document that leads nowhere: a missing file or a heading that is not there. */
function brokenLinks(path: string): string[] {
  const broken: string[] = [];
  for (const { line, target } of linksOf(text(path))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:...
    const [file = "", anchor] = target.split("#", 2);
    const destination = file === "" ? resolve(ROOT, path) : resolve(ROOT, dirname(path), file);
    const where = `${path}:${line}: ${target}`;
    if (relative(ROOT, destination).startsWith("..")) broken.push(`${where} leaves the repository`);
    else if (!existsSync(destination)) broken.push(`${where}: no such file`);
    else if (
      anchor !== undefined &&
      destination.endsWith(".md") &&
      !anchorsOf(readFileSync(destination, "utf8")).has(anchor)
    ) {
      broken.push(`${where}: no heading has this anchor`);
    }
  }
  return broken;
}

describe("the documentation's links lead somewhere", () => {
  for (const path of DOCUMENTS) {
    it(`${path}: every relative link names an existing file and heading`, () => {
      expect(brokenLinks(path)).toEqual([]);
    });
  }

  it("the README links to every guide in docs/", () => {
    const linked = new Set(linksOf(text("README.md")).map((link) => link.target.split("#")[0]));
    expect(GUIDES.filter((guide) => !linked.has(guide))).toEqual([]);
  });

  it("every guide links back to the README", () => {
    const orphans = GUIDES.filter(
      (guide) => !linksOf(text(guide)).some((link) => link.target.startsWith("../README.md")),
    );
    expect(orphans).toEqual([]);
  });
});

describe("the link checker", () => {
  it("makes GitHub's anchors: lower case, punctuation and code marks dropped, spaces as hyphens", () => {
    expect(slugOf("Client: `client.responses.connect()`")).toBe("client-clientresponsesconnect");
    expect(slugOf("Bounds: what one request can cost")).toBe("bounds-what-one-request-can-cost");
    expect(slugOf("Options of `createResponsesHandler`")).toBe("options-of-createresponseshandler");
    expect([...anchorsOf("# A\n## Notes\n## Notes\n```\n# not a heading\n```\n")]).toEqual([
      "a",
      "notes",
      "notes-1",
    ]);
  });

  it("finds links outside code only, with their line", () => {
    const markdown =
      'See [the client](docs/client.md#errors).\n`[not](a-link.md)`\n```\n[nor](this.md)\n```\n[x](y.md "title")';
    expect(linksOf(markdown)).toEqual([
      { line: 1, target: "docs/client.md#errors" },
      { line: 6, target: "y.md" },
    ]);
  });
});
