import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FUNCTIONS_DIR, isHandlerFile, listWebhooks } from "../contract/webhooks";

function functionsDir(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "denwa-routes-"));
  for (const file of files) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), "export default () => null;\n");
  }
  return dir;
}

const routes = suite("listWebhooks");

routes("the path under functions/ is the route; the slug joins its parts with dashes", () => {
  const found = listWebhooks(functionsDir(["voice/hello.ts", "fallback.ts", "sms/reply.ts", "types.d.ts", "README.md"]));
  assert.equal(found.map((w) => [w.route, w.slug]), [["fallback", "fallback"], ["sms/reply", "sms-reply"], ["voice/hello", "voice-hello"]]);
});

routes("the project's own starters are every handler file under functions/, however many there are", () => {
  const files = readdirSync(FUNCTIONS_DIR, { recursive: true, encoding: "utf8" }).filter(isHandlerFile).map((file) => file.slice(0, -".ts".length)).sort();
  assert.ok(files.includes("voice/hello") && files.includes("twilio/alerts"), "the starters are there to be found");
  assert.equal(listWebhooks().map((w) => w.route), files);
});

routes("a *.private.ts file is shared code, never a route, whatever its name", () => {
  const found = listWebhooks(functionsDir(["voice/hello.ts", "lib/time.private.ts", "voice/Greeting_Text.private.ts"]));
  assert.equal(found.map((w) => w.route), ["voice/hello"]);
});

routes("a file name that cannot be a route is refused with the reason and where shared code goes", () => {
  assert.throws(
    () => listWebhooks(functionsDir(["Voice/Hello World.ts"])),
    (err: Error) =>
      err.message === 'functions/Voice/Hello World.ts: a route is lower-case words, digits and dashes separated by "/", e.g. functions/voice/hello.ts (code the handlers share goes in a file named *.private.ts).',
  );
});

routes("two files that would share a function name are refused", () => {
  assert.throws(() => listWebhooks(functionsDir(["voice/hello.ts", "voice-hello.ts"])), /Two webhooks would share the name "voice-hello"/);
});

const handlers = suite("isHandlerFile");

handlers("a .ts file is a handler; .private.ts, .d.ts and other files are not", () => {
  assert.equal(["hello.ts", "time.private.ts", "types.d.ts", "README.md", "hello.js"].map(isHandlerFile), [true, false, false, false, false]);
});

routes.run();
handlers.run();
