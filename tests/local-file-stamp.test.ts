import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileStamp } from "../local/file-stamp";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const file = () => join(mkdtempSync(join(tmpdir(), "denwa-stamp-")), "function.zip");

const stamp = suite("fileStamp");

stamp("is the file's modification time and size, and undefined for a missing file", () => {
  const f = file();
  writeFileSync(f, "12345");
  utimesSync(f, new Date(1_700_000_000_000), new Date(1_700_000_000_000));
  assert.is(fileStamp(f), `${statSync(f).mtimeMs}:5`);
  assert.is(fileStamp(`${f}.missing`), undefined, "a missing file has no stamp, and no throw");
});

stamp("keeps its answer for the rest of the turn, and sees a change in the next", async () => {
  const f = file();
  writeFileSync(f, "v1");
  const before = fileStamp(f);
  writeFileSync(f, "v2, longer");
  assert.is(fileStamp(f), before, "the same turn shares one stat");
  await nextTurn();
  assert.is.not(fileStamp(f), before, "a request read after the change sees it");
  rmSync(f);
  await nextTurn();
  assert.is(fileStamp(f), undefined, "a deleted file is seen as missing in the next turn");
});

stamp.run();
