import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchSources } from "../local/dev";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `done()` or a bounded time has passed, polling. */
async function until(done: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !done() && waited < ms; waited += 20) await sleep(20);
}

function sources(): string {
  const dir = mkdtempSync(join(tmpdir(), "denwa-watch-"));
  mkdirSync(join(dir, "functions", "voice"), { recursive: true });
  writeFileSync(join(dir, "functions", "voice", "hello.ts"), "export default 1;\n");
  return dir;
}

const watching = suite("watchSources (make dev's rebuild on change)");

watching("a burst of saves is one rebuild, and a file replaced by rename is still seen afterwards", async () => {
  const dir = sources();
  const file = join(dir, "functions", "voice", "hello.ts");
  let rebuilds = 0;
  const watcher = watchSources([join(dir, "functions")], async () => void rebuilds++, 50);
  try {
    for (let i = 0; i < 5; i++) writeFileSync(file, `export default ${i};\n`);
    await until(() => rebuilds === 1);
    await sleep(150);
    assert.is(rebuilds, 1, "five saves in a burst rebuild once");
    // An editor's save: write a temporary file, then rename it over the original (a new inode).
    writeFileSync(join(dir, "functions", "voice", "hello.ts.tmp"), "export default 9;\n");
    renameSync(join(dir, "functions", "voice", "hello.ts.tmp"), file);
    await until(() => rebuilds === 2);
    assert.is(rebuilds, 2, "the rename is a change");
    writeFileSync(file, "export default 10;\n");
    await until(() => rebuilds === 3);
    assert.is(rebuilds, 3, "a later save to the renamed file is seen too");
  } finally {
    watcher.close();
  }
});

watching("a change during a rebuild queues exactly one more, never two at once", async () => {
  const dir = sources();
  const file = join(dir, "functions", "voice", "hello.ts");
  let running = 0;
  let most = 0;
  let rebuilds = 0;
  const watcher = watchSources([join(dir, "functions")], async () => {
    running++;
    most = Math.max(most, running);
    await sleep(300);
    running--;
    rebuilds++;
  }, 30);
  try {
    writeFileSync(file, "export default 1;\n");
    await until(() => running === 1);
    for (let i = 0; i < 3; i++) {
      writeFileSync(file, `export default ${i + 2};\n`);
      await sleep(60);
    }
    await until(() => rebuilds === 2 && running === 0);
    await sleep(200);
    assert.is(rebuilds, 2, "the changes during the first rebuild make one more");
    assert.is(most, 1, "rebuilds never overlap");
  } finally {
    watcher.close();
  }
});

watching.run();
