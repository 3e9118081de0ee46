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

zip.run();
