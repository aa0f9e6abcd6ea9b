/**
 * A checkout's entry bundled by esbuild into one ES module, as the package ships it, so a bench child
 * measures the code users run (not tsx's transform, whose helpers cost time and memory per closure).
 * Built once per entry per run; the temporary directory goes when the process exits.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const bundles = new Map<string, Promise<string>>();

/** The path of `entry` bundled (`name` names the temporary directory and file). */
export function bundled(entry: string, name: string): Promise<string> {
  let file = bundles.get(entry);
  if (file === undefined) {
    const dir = mkdtempSync(join(tmpdir(), `openresponses-bench-${name}-`));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, `${name}.mjs`);
    file = build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "es2022",
      external: ["ws", "#ws"],
      logLevel: "silent",
    }).then(() => outfile);
    bundles.set(entry, file);
  }
  return file;
}
