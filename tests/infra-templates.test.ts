import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTemplates, TEMPLATES_DIR, terraformLiteral } from "../infra/templates";

const FILES = { request: "request.vtl", response: "response.vtl", error: "error.vtl", errorDebug: "error-debug.vtl" } as const;

const read = suite("readTemplates");

read("reads the four templates of infra/templates as they are", () => {
  const templates = readTemplates();
  for (const [key, file] of Object.entries(FILES)) {
    assert.is(templates[key as keyof typeof FILES], readFileSync(join(TEMPLATES_DIR, file), "utf8"), `${file} unchanged`);
  }
});

read("reads UTF-8 whatever the locale, dropping a BOM and turning CRLF into LF", () => {
  const dir = mkdtempSync(join(tmpdir(), "denwa-templates-"));
  for (const file of Object.values(FILES)) {
    writeFileSync(join(dir, file), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`## ${file} 電話\r\n$input.body\r\n`, "utf8")]));
  }
  const templates = readTemplates(dir);
  assert.is(templates.request, "## request.vtl 電話\n$input.body\n");
  assert.is(templates.errorDebug, "## error-debug.vtl 電話\n$input.body\n");
});

read.run();

const literal = suite("terraformLiteral");

literal("escapes Terraform's own template syntax and nothing else", () => {
  assert.is(terraformLiteral("${name} %{ if x } $input.body $$ %"), "$${name} %%{ if x } $input.body $$ %");
  assert.is(terraformLiteral("こんにちは"), "こんにちは");
});

literal.run();
