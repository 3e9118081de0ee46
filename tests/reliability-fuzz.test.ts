// The fast part of suite 1 (make reliability runs thousands): signed random forms arrive intact,
// tampered ones get 403 before the handler runs; the real sms/reply quotes any Body back.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { fuzzProperty, smsProperty } from "../scripts/reliability/fuzz";
import { checkProperty, seedFromEnv } from "../scripts/reliability/property";
import { startRig, type Rig } from "../scripts/reliability/rig";

const SEED = seedFromEnv();
const fuzz = suite<{ rig: Rig }>("reliability: signed random forms through the emulator", {} as { rig: Rig });

fuzz.before(async (context) => {
  context.rig = await startRig();
});

fuzz.after(async ({ rig }) => rig.close());

fuzz(`200 random forms arrive exactly as sent; each tampered twin gets 403 and never runs the handler (seed ${SEED})`, async ({ rig }) => {
  const run = await checkProperty(fuzzProperty(rig), { numRuns: 200, seed: SEED });
  assert.is(run.failed, 0, run.failure);
  assert.ok(run.tried >= 150, `most cases ran (${run.tried}, ${run.skipped} left out)`);
});

fuzz(`100 random SMS bodies come back intact from sms/reply (seed ${SEED})`, async ({ rig }) => {
  const run = await checkProperty(smsProperty(rig), { numRuns: 100, seed: SEED });
  assert.is(run.failed, 0, run.failure);
  assert.is(run.tried, 100);
});

fuzz.run();
