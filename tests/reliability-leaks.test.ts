// Suite 5: the auth token in no stack, bundle, answer or log line; prod answers with nothing internal.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LEAK_CASES, internalNames } from "../scripts/reliability/leaks";
import { startRig, type Rig } from "../scripts/reliability/rig";

const leaks = suite<{ rig: Rig }>("reliability: leaks", {} as { rig: Rig });

leaks.before(async (context) => {
  context.rig = await startRig();
});

leaks.after(async ({ rig }) => rig.close());

for (const one of LEAK_CASES) leaks(one.name, ({ rig }) => one.run(rig));

leaks.run();

const names = suite("reliability: what counts as internal");

names("a stack frame, a bundle path, a Lambda detail and a function name are caught; a caller's sentence is not", () => {
  const patterns = internalNames(["denwa-prod-voice-hello"]);
  const caught = (text: string) => patterns.some((p) => p.test(text));
  for (const text of ["Error: x\n    at handler (/var/task/index.js:1:2)", "/tmp/denwa-lambda-x", "runtime/webhook.ts", "RequestId: 1 Error: Task timed out", "denwa-prod-voice-hello"]) {
    assert.ok(caught(text), text);
  }
  assert.not.ok(caught("An application error occurred."));
  assert.not.ok(caught('The request body has an invalid percent-encoding near "%ZZ".'));
});

names.run();
