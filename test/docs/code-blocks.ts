/**
 * Type-checks the TypeScript code blocks of the Markdown documentation, the way a user's project would
 * compile them: `strict`, `exactOptionalPropertyTypes`, ES2022 modules (top-level `await` allowed), with
 * `"openresponses"` and `"openresponses/server"` resolved to this repository's source.
 *
 * Every block is its own module, so two blocks may declare the same name. All blocks go into one
 * TypeScript `Program`, because building one costs far more than checking one more file in it.
 *
 * A block that is deliberately partial is skipped by putting, on the line before its fence,
 * `<!-- typecheck: skip why it cannot compile -->` (the reason is required). Prefer declaring what a
 * block uses (`declare const client: OpenResponses;`) over skipping it.
 */

import { resolve } from "node:path";
import ts from "typescript";

export interface MarkdownFile {
  /** The path shown in failures, relative to the repository (`docs/client.md`). */
  path: string;
  text: string;
}

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** The reason given by a skip marker, when the block has one. */
  skip?: string;
}

export interface Extraction {
  blocks: CodeBlock[];
  /** Misused markers and unclosed fences, as `file:line: what`. */
  problems: string[];
}

const TYPESCRIPT_LANGUAGES = new Set(["ts", "typescript"]);
const FENCE = /^\s*(`{3,}|~{3,})\s*([^\s`]*)/;
const SKIP_MARKER = /^\s*<!--\s*typecheck:\s*skip\b\s*(.*?)\s*-->\s*$/;
const ANY_MARKER = /^\s*<!--\s*typecheck\b/;

export function extractCodeBlocks(files: readonly MarkdownFile[]): Extraction {
  const blocks: CodeBlock[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const lines = file.text.split(/\r?\n/);
    let pendingSkip: { line: number; reason: string } | undefined;
    for (let index = 0; index < lines.length; index++) {
      const text = lines[index] ?? "";
      const fence = FENCE.exec(text);
      if (!fence) {
        if (text.trim() === "") continue;
        if (pendingSkip) {
          problems.push(misplaced(file, pendingSkip.line));
          pendingSkip = undefined;
        }
        if (ANY_MARKER.test(text)) {
          const skip = SKIP_MARKER.exec(text);
          if (!skip)
            problems.push(
              `${file.path}:${index + 1}: unknown typecheck marker (only "typecheck: skip <reason>")`,
            );
          else if (skip[1] === "")
            problems.push(`${file.path}:${index + 1}: a typecheck skip marker needs a reason`);
          else pendingSkip = { line: index + 1, reason: skip[1] ?? "" };
        }
        continue;
      }
      const marker = fence[1] ?? "```";
      const language = (fence[2] ?? "").toLowerCase();
      const start = index;
      let end = index + 1;
      while (end < lines.length && !isClosingFence(lines[end] ?? "", marker)) end++;
      if (end >= lines.length) {
        problems.push(`${file.path}:${start + 1}: a code block is never closed`);
        break;
      }
      if (TYPESCRIPT_LANGUAGES.has(language)) {
        const block: CodeBlock = {
          file: file.path,
          line: start + 1,
          code: lines.slice(start + 1, end).join("\n"),
        };
        if (pendingSkip) block.skip = pendingSkip.reason;
        blocks.push(block);
      } else if (pendingSkip) {
        problems.push(misplaced(file, pendingSkip.line));
      }
      pendingSkip = undefined;
      index = end;
    }
    if (pendingSkip) {
      problems.push(misplaced(file, pendingSkip.line));
    }
  }
  return { blocks, problems };
}

function misplaced(file: MarkdownFile, line: number): string {
  return `${file.path}:${line}: a typecheck skip marker must be right before a \`\`\`ts block`;
}

function isClosingFence(line: string, opening: string): boolean {
  const trimmed = line.trim();
  const char = opening[0] ?? "`";
  return trimmed.length >= opening.length && [...trimmed].every((c) => c === char);
}

export interface CheckResult {
  /** Every checked (not skipped) block, with its errors as `file:line: TSnnnn message`. */
  errors: Map<CodeBlock, string[]>;
  /** Errors in the compiler setup itself (none when the checker works). */
  setup: string[];
  /** Where `"openresponses"` and `"openresponses/server"` resolved to. */
  resolved: Record<string, string | undefined>;
}

export const ENTRY_POINTS = { openresponses: "src/index.ts", "openresponses/server": "src/server/index.ts" };

/** Compiler options a user's strict project would have. */
export function compilerOptions(root: string): ts.CompilerOptions {
  return {
    strict: true,
    exactOptionalPropertyTypes: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: ["node"],
    skipLibCheck: true,
    noEmit: true,
    esModuleInterop: true,
    baseUrl: root,
    paths: Object.fromEntries(
      Object.entries(ENTRY_POINTS).map(([name, path]) => [name, [resolve(root, path)]]),
    ),
  };
}

/** Type-checks every block that has no skip marker, in one Program. */
export function typecheckBlocks(root: string, blocks: readonly CodeBlock[]): CheckResult {
  const options = compilerOptions(root);
  const virtual = new Map<string, CodeBlock>();
  for (const block of blocks) {
    if (block.skip !== undefined) continue;
    const name = `${block.file.replace(/[^A-Za-z0-9.-]/g, "_")}.line${block.line}.ts`;
    virtual.set(resolve(root, ".code-blocks", name), block);
  }
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const block = virtual.get(resolve(fileName));
    if (block) return ts.createSourceFile(fileName, block.code, languageVersion, true, ts.ScriptKind.TS);
    return getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => virtual.has(resolve(fileName)) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(resolve(fileName))?.code ?? readFile.call(host, fileName);

  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const setup = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  );
  const errors = new Map<CodeBlock, string[]>();
  const containing = [...virtual.keys()][0] ?? resolve(root, ".code-blocks", "probe.ts");
  const resolved: Record<string, string | undefined> = {};
  for (const name of Object.keys(ENTRY_POINTS)) {
    resolved[name] = ts.resolveModuleName(name, containing, options, host).resolvedModule?.resolvedFileName;
  }
  for (const [fileName, block] of virtual) {
    const source = program.getSourceFile(fileName);
    if (!source) {
      errors.set(block, [`${block.file}:${block.line}: the block was not compiled`]);
      continue;
    }
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    errors.set(
      block,
      diagnostics.map((d) => {
        const { line } = ts.getLineAndCharacterOfPosition(source, d.start ?? 0);
        const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
        // line + 1 is the 1-based line in the block; the block's code starts one line after its fence.
        return `${block.file}:${block.line + line + 1} (block at line ${block.line}): TS${d.code} ${message}`;
      }),
    );
  }
  return { errors, setup, resolved };
}
