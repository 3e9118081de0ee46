import { suite } from "uvu";
import * as assert from "uvu/assert";
import { crc32, zipFiles } from "../scripts/zip";
import { readZip as unzip } from "../local/zip";

const zip = suite("zipFiles");

zip("crc32 gives the standard check value", () => {
  assert.is(crc32(Buffer.from("123456789")), 0xcbf43926);
});

zip("round-trips entries, sorted by name, with UTF-8 names", () => {
  const entries = unzip(zipFiles([{ name: "b.js", data: Buffer.from("bbb") }, { name: "あ/index.js", data: Buffer.from("こんにちは") }, { name: "a.js", data: Buffer.alloc(0) }]));
  assert.equal(entries.map((e) => [e.name, e.data.toString("utf8")]), [["a.js", ""], ["b.js", "bbb"], ["あ/index.js", "こんにちは"]]);
});

zip("fixes the timestamp at 1980-01-01 00:00 and the mode at 0644", () => {
  for (const entry of unzip(zipFiles([{ name: "index.js", data: Buffer.from("x") }]))) {
    assert.is(entry.dosDate, 0x21, "1980-01-01");
    assert.is(entry.dosTime, 0, "00:00:00");
    assert.is(entry.unixMode, 0o100644);
  }
});

zip("the same entries in any order give the same bytes", () => {
  const a = zipFiles([{ name: "x", data: Buffer.from("1") }, { name: "y", data: Buffer.from("2") }]);
  const b = zipFiles([{ name: "y", data: Buffer.from("2") }, { name: "x", data: Buffer.from("1") }]);
  assert.ok(a.equals(b));
});

zip("stores instead of deflating when asked, and writes directory entries stored and empty", () => {
  const stored = zipFiles({ "lib/": "", "lib/a.js": "aaaa" }, { method: "store" });
  assert.ok(stored.includes(Buffer.from("aaaa")), "the stored bytes are in the archive as they are");
  const central = stored.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  assert.is(stored.readUInt16LE(central + 10), 0, "method 0, stored");
  assert.is(stored.readUInt32LE(central + 38) >>> 16, 0o040755, "lib/ is a directory, drwxr-xr-x");
  assert.equal(unzip(stored).map((e) => [e.name, e.data.toString()]), [["lib/a.js", "aaaa"]], "the emulator's reader skips the directory");
  const deflated = zipFiles({ "lib/": "", "lib/a.js": "aaaa" });
  assert.is(deflated.readUInt16LE(deflated.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10), 0, "a directory entry is stored even in a deflated zip");
});

zip.run();
