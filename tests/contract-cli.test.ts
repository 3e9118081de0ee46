import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../contract";
import { commandLine, readArgs } from "../contract/cli";
import { runProcess } from "../testkit/process";

const LINE = commandLine({
  name: "make try",
  usage: "usage: make try [--out FILE] [--quick]",
  options: { out: { type: "string" }, quick: { type: "boolean", default: false } },
});

/** The UserError's message that `run` throws, or "no error". */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.instance(err, UserError, "a mistake on the command line is the person's to fix");
    return (err as Error).message;
  }
  return "no error";
}

const args = suite("readArgs");

args("reads options with node:util's rules, defaults included", () => {
  assert.equal({ ...readArgs(LINE, ["--out", "a.json"]).values }, { out: "a.json", quick: false });
  assert.equal({ ...readArgs(LINE, ["--out=b.json", "--quick"]).values }, { out: "b.json", quick: true });
});

args("an unknown option, a missing value or a stray argument is one sentence", () => {
  assert.is(refusal(() => readArgs(LINE, ["--fast"])), "Unknown option --fast; see --help for the options.");
  assert.is(refusal(() => readArgs(LINE, ["-x"])), "Unknown option -x; see --help for the options.");
  assert.is(refusal(() => readArgs(LINE, ["--out"])), "The option --out needs a value.");
  assert.is(refusal(() => readArgs(LINE, ["extra"])), "Unexpected argument extra; see --help for the options.");
  assert.equal(readArgs({ ...LINE, positionals: true }, ["extra"]).positionals, ["extra"], "unless the command takes arguments");
});

const run = suite("runCommand");

/** Runs a one-off entry point built on runCommand, whose main does `body`. */
async function entry(body: string, argv: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), "denwa-cli-"));
  const file = join(dir, "entry.ts");
  writeFileSync(
    file,
    [
      `import { UserError } from ${JSON.stringify(join(__dirname, "..", "contract"))};`,
      `import { runCommand } from ${JSON.stringify(join(__dirname, "..", "contract", "cli"))};`,
      `runCommand({ name: "make try", usage: "usage: make try [--quick]", options: { quick: { type: "boolean" } } }, async (args) => { ${body} });`,
      `void UserError;`,
    ].join("\n"),
  );
  return runProcess(process.execPath, ["--require", "tsx/cjs", file, ...argv], { cwd: join(__dirname, ".."), env: { PATH: process.env.PATH, ...env } });
}

run("a UserError is its sentence after the command's name, exit 2, no stack", async () => {
  assert.equal(await entry('throw new UserError("NUMBER must be set.");'), { status: 2, stdout: "", stderr: "make try: NUMBER must be set.\n" });
});

run("any other error exits 1 with its message; DENWA_TRACE=1 adds the stack", async () => {
  assert.equal(await entry('throw new Error("boom");'), { status: 1, stdout: "", stderr: "make try: boom\n" });
  assert.match((await entry('throw new Error("boom");', [], { DENWA_TRACE: "1" })).stderr, /^make try: boom\nError: boom\n\s+at /);
});

run("main's number is the exit code; --help prints the usage and runs nothing", async () => {
  assert.equal(await entry('console.log(args.values.quick === true); return 1;', ["--quick"]), { status: 1, stdout: "true\n", stderr: "" });
  assert.equal(await entry('throw new Error("ran");', ["--help"]), { status: 0, stdout: "usage: make try [--quick]\n", stderr: "" });
  assert.equal(await entry("", ["--slow"]), { status: 2, stdout: "", stderr: "make try: Unknown option --slow; see --help for the options.\n" });
});

args.run();
run.run();
