import { suite } from "uvu";
import * as assert from "uvu/assert";
import { columns, markdownTable } from "../scripts/table";

const rows = [["name", "count"], ["voice/hello", "5"], ["fallback", "120"]];

const table = suite("tables");

table("columns pads each column to its widest cell, two spaces apart, no trailing space", () => {
  assert.is(columns(rows), "name         count\nvoice/hello  5\nfallback     120");
});

table("markdownTable right-aligns the columns it is told are numbers, and marks them in the rule", () => {
  assert.is(
    markdownTable(rows, [1]),
    "| name        | count |\n|-------------|------:|\n| voice/hello |     5 |\n| fallback    |   120 |",
  );
  assert.is(markdownTable(rows), "| name        | count |\n|-------------|-------|\n| voice/hello | 5     |\n| fallback    | 120   |");
});

table.run();
