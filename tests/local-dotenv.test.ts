import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDotEnv, writeDotEnvValue } from "../local/dotenv";
import { localToken } from "../local/dev";

const file = () => join(mkdtempSync(join(tmpdir(), "denwa-dotenv-")), ".env");

const read = suite("readDotEnv");

// Expected values: dotenv's documented rules (its README's "What rules does the parsing engine follow?").
read("quotes, comments, export and CRLF", () => {
  const f = file();
  writeFileSync(f, "A=1\r\n# B=2\r\nexport C='three # not a comment'\r\nD=four # comment\r\n  E = five \r\n");
  assert.equal(readDotEnv(f), { A: "1", C: "three # not a comment", D: "four", E: "five" });
  assert.equal(readDotEnv(join(f, "..", "missing")), {}, "no file is no values");
});

read("a comment after a quoted value, double-quoted newlines, Japanese text, a line without =", () => {
  const f = file();
  writeFileSync(f, `A='x' # c\nB="two\\nlines"\nC="日本語 # 本文"\nstray line\nD=after\nE=\n`);
  assert.equal(readDotEnv(f), { A: "x", B: "two\nlines", C: "日本語 # 本文", D: "after", E: "" }, "quotes go, the comment goes, the stray line is skipped and does not swallow D");
});

read.run();

const write = suite("writeDotEnvValue");

write("fills an empty line in place and keeps comments and other values", () => {
  const f = file();
  writeFileSync(f, "# TWILIO_AUTH_TOKEN=old comment\nTWILIO_AUTH_TOKEN=\nPORT=3000\n", { mode: 0o644 });
  writeDotEnvValue(f, "TWILIO_AUTH_TOKEN", "abc");
  assert.is(readFileSync(f, "utf8"), "# TWILIO_AUTH_TOKEN=old comment\nTWILIO_AUTH_TOKEN=abc\nPORT=3000\n");
  assert.is(statSync(f).mode & 0o777, 0o600, "a file holding a token is private");
});

write("appends to a file without the name, or creates the file", () => {
  const f = file();
  writeDotEnvValue(f, "TWILIO_AUTH_TOKEN", "abc");
  assert.is(readFileSync(f, "utf8"), "TWILIO_AUTH_TOKEN=abc\n");
  writeDotEnvValue(f, "PORT", "3001");
  assert.equal(readDotEnv(f), { TWILIO_AUTH_TOKEN: "abc", PORT: "3001" });
});

write.run();

const token = suite("localToken (make dev)");

token("the environment wins, then .env, else a generated token saved in .env", () => {
  const f = file();
  assert.equal(localToken({ TWILIO_AUTH_TOKEN: "from-env" }, f).token, "from-env");
  writeFileSync(f, "TWILIO_AUTH_TOKEN=from-file\n");
  assert.equal(localToken({}, f).token, "from-file");
  writeFileSync(f, "# nothing yet\nTWILIO_AUTH_TOKEN=\n");
  const generated = localToken({}, f);
  assert.match(generated.token, /^[0-9a-f]{32}$/);
  assert.match(generated.source, /^a generated local token, saved in .* for make call: [0-9a-f]{32}$/);
  assert.is(readDotEnv(f).TWILIO_AUTH_TOKEN, generated.token, "make call finds it in .env");
  assert.is(localToken({}, f).token, generated.token, "the next make dev keeps it");
});

token.run();
