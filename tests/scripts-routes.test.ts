import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listWebhooks } from "../scripts/routes";

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

routes("the starter webhooks are found in the project's functions/", () => {
  assert.equal(listWebhooks().map((w) => w.route), ["call/status", "fallback", "sms/reply", "voice/hello", "voice/menu"]);
});

routes("a file name that cannot be a route is refused with the reason", () => {
  assert.throws(() => listWebhooks(functionsDir(["Voice/Hello World.ts"])), /functions\/Voice\/Hello World\.ts: a route is lower-case words/);
});

routes("two files that would share a function name are refused", () => {
  assert.throws(() => listWebhooks(functionsDir(["voice/hello.ts", "voice-hello.ts"])), /Two webhooks would share the name "voice-hello"/);
});

routes.run();
