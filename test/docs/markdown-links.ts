/**
 * The links of the Markdown documentation, and the anchors its headings make, so that a test can prove
 * that every link between README.md and the guides leads somewhere.
 */

export interface MarkdownLink {
  /** 1-based line of the link. */
  line: number;
  target: string;
}

/** The lines of a document with its fenced code blocks blanked out. */
function outsideFences(markdown: string): string[] {
  const lines = markdown.split(/\r?\n/);
  let fence: string | undefined;
  return lines.map((line) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (
        opening &&
        line.trim() === fence.charAt(0).repeat(line.trim().length) &&
        line.trim().length >= fence.length
      ) {
        fence = undefined;
      }
      return "";
    }
    if (opening) {
      fence = opening[1];
      return "";
    }
    return line;
  });
}

/** Every `[text](target)` link outside code. */
export function linksOf(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  outsideFences(markdown).forEach((line, index) => {
    const text = line.replace(/(`+)[^`]*?\1/g, ""); // inline code
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      links.push({ line: index + 1, target: match[1] ?? "" });
    }
  });
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a document's headings, with GitHub's `-1`, `-2`... for repeated ones. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of outsideFences(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = slugOf(heading[1] ?? "");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
