// local/jsonpath.ts against Jayway JsonPath (Debian's libjsonpath-java 2.0), the JSONPath
// implementation the emulator's paths are written after; what API Gateway itself answers is held
// by the recorded conformance cases.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { evaluateJsonPath } from "../local/jsonpath";
import { javaOracle } from "./oracles/java-oracle";

const DOCUMENT = JSON.stringify({
  name: `'"\\ 日本語 😀\n`,
  n: 3,
  empty: {},
  none: null,
  flag: false,
  items: [{ id: "x", tags: ["a", "b"] }, { id: "y", tags: [] }],
  "dotted.key": "d",
  "with space": "s",
});
const PATHS = ["$", "$.name", "$['name']", "$['with space']", "$['dotted.key']", "$.n", "$.none", "$.flag", "$.empty", "$.items", "$.items[0]", "$.items[1].id", "$.items[5]", "$.items[*].id", "$.items[*].tags", "$.missing", "$.missing.deeper", "$.name.length", "$.*", "name"];
// Jayway reads these; the emulator refuses them in one sentence rather than guess.
const REFUSED = ["$..id", "$.items[0,1].id", "$.items[0:1]", "$.items[?(@.id == 'x')]"];
// Left open, for the recorded AWS cases to settle: Jayway 2.0 refuses $["with space"] (the
// emulator reads it), answers null for $.items[-1].id (the emulator: the last item's id), and a
// list for ".name" (the emulator: the value).

const jsonpath = suite("local/jsonpath.ts against Jayway JsonPath");
const oracle = javaOracle();

if (typeof oracle === "string") {
  console.log(oracle);
} else {
  jsonpath(`${PATHS.length} paths into one document with quotes, Japanese, emoji, null, empty maps and lists`, async () => {
    const answers = await oracle.ask(PATHS.map((path) => ({ op: "jsonpath", json: DOCUMENT, path })));
    PATHS.forEach((path, i) => {
      const java = answers[i];
      assert.ok("ok" in java, `Jayway reads ${path} (${JSON.stringify(java)})`);
      assert.equal(evaluateJsonPath(JSON.parse(DOCUMENT), path) ?? null, java.ok, path);
    });
  });

  jsonpath("what the emulator does not implement it refuses, where Jayway answers", async () => {
    const answers = await oracle.ask(REFUSED.map((path) => ({ op: "jsonpath", json: DOCUMENT, path })));
    REFUSED.forEach((path, i) => {
      assert.ok("ok" in answers[i], `Jayway reads ${path}`);
      assert.throws(() => evaluateJsonPath(JSON.parse(DOCUMENT), path), /^Unsupported JSONPath expression/, `${path} is refused, not guessed`);
    });
  });
}

jsonpath.run();
