import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readZip } from "../local/zip";
import { zipFiles } from "../scripts/zip";

const read = suite("readZip");

read("reads deflated and stored entries byte for byte, UTF-8 names included", () => {
  const files = { "index.js": "exports.handler = 1;", "データ/こんにちは.txt": "日本語 😀" };
  for (const deflate of [true, false]) {
    const entries = readZip(zipFiles(files, { method: deflate ? "deflate" : "store" }));
    assert.equal(
      entries.map((e) => [e.name, e.data.toString("utf8")]),
      Object.entries(files),
      `${deflate ? "deflated" : "stored"} entries come back as written`,
    );
  }
});

read("skips directory entries", () => {
  const entries = readZip(zipFiles({ "lib/": "", "lib/a.js": "a" }, { method: "store" }));
  assert.equal(entries.map((e) => e.name), ["lib/a.js"]);
});

read("finds the directory behind an archive comment", () => {
  const zip = zipFiles({ "a.txt": "x" });
  const comment = Buffer.from("built by denwa");
  zip.writeUInt16LE(comment.length, zip.length - 2);
  assert.equal(readZip(Buffer.concat([zip, comment])).map((e) => e.data.toString()), ["x"]);
});

read("says in one sentence that a file is not a zip", () => {
  assert.throws(() => readZip(Buffer.from("not a zip at all, just some text"), "fn.zip"), /^fn\.zip is not a zip file/);
});

read("refuses compression methods Lambda zips do not use", () => {
  const zip = zipFiles({ "a.txt": "x" }, { method: "store" });
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt16LE(12, central + 10);
  assert.throws(() => readZip(zip, "fn.zip"), /compression method 12/);
});

read.run();
