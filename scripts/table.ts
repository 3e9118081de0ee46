// Tables people read on a terminal and in the README: plain aligned columns, or Markdown.

const widthsOf = (rows: string[][]) => rows[0].map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));

/** Columns padded to their widest cell and two spaces apart; the first row is the heading. */
export function columns(rows: string[][]): string {
  const widths = widthsOf(rows);
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/** A Markdown table; the columns named in `right` (numbers) are right-aligned. */
export function markdownTable(rows: string[][], right: number[] = []): string {
  const widths = widthsOf(rows);
  const cell = (text: string, i: number) => (right.includes(i) ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (row: string[]) => `| ${row.map((text, i) => cell(text ?? "", i)).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (right.includes(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join("\n");
}
