/**
 * Counts what an entry file exports, split into run-time values and type-only names, with the
 * TypeScript compiler API. Used to compare the public surface of two trees (the API report in `api/`
 * says what each name is; this says how many there are and which ones came or went):
 *
 *   npx tsx scripts/count-exports.ts src/index.ts                 # counts and names of one entry
 *   npx tsx scripts/count-exports.ts OLD/src/index.ts src/index.ts # counts of both, and the difference
 */

import ts from "typescript";

interface Surface {
  values: Set<string>;
  types: Set<string>;
}

function surfaceOf(entry: string): Surface {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry}: not a module`);
  const values = new Set<string>();
  const types = new Set<string>();
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    // A class is both; it counts as a value (it exists at run time). `export type { X }` of a class
    // makes the alias type-only, which the declaration's flags alone would not show.
    const typeOnly = symbol.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d)) ?? false;
    if (!typeOnly && target.flags & ts.SymbolFlags.Value) values.add(symbol.name);
    else types.add(symbol.name);
  }
  return { values, types };
}

function describe(label: string, s: Surface): void {
  console.log(`${label}: ${s.values.size} values + ${s.types.size} types = ${s.values.size + s.types.size}`);
}

const [first, second] = process.argv.slice(2);
if (!first) {
  console.error("usage: tsx scripts/count-exports.ts [before/src/index.ts] after/src/index.ts");
  process.exit(2);
}
const before = surfaceOf(first);
if (!second) {
  describe(first, before);
  console.log(`values: ${[...before.values].sort().join(", ")}`);
  console.log(`types: ${[...before.types].sort().join(", ")}`);
} else {
  const after = surfaceOf(second);
  describe(`before (${first})`, before);
  describe(`after (${second})`, after);
  const all = (s: Surface) => new Set([...s.values, ...s.types]);
  const gone = [...all(before)].filter((n) => !all(after).has(n)).sort();
  const added = [...all(after)].filter((n) => !all(before).has(n)).sort();
  console.log(`no longer exported (${gone.length}): ${gone.join(", ")}`);
  console.log(`newly exported (${added.length}): ${added.join(", ")}`);
}
