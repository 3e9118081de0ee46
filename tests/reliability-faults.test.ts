// Suite 3: faults through the emulator (throw, timeout, not TwiML, token store down or slow) and
// malformed events invoked directly: documented status, one log line naming the cause, no stack.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FAULT_CASES, MALFORMED_EVENTS, directInvoke, expectNotAnEvent, malformedEventProperty, type DirectInvoke } from "../scripts/reliability/faults";
import { checkProperty, seedFromEnv } from "../scripts/reliability/property";
import { startRig, type Rig } from "../scripts/reliability/rig";

const SEED = seedFromEnv();
const faults = suite<{ rig: Rig }>("reliability: faults through the emulator", {} as { rig: Rig });

faults.before(async (context) => {
  context.rig = await startRig();
});

faults.after(async ({ rig }) => rig.close());

for (const one of FAULT_CASES) faults(one.name, ({ rig }) => one.run(rig));

faults.run();

const malformed = suite<{ direct: DirectInvoke }>("reliability: malformed events invoked directly", {} as { direct: DirectInvoke });

malformed.before(async (context) => {
  const rig = await startRig();
  await rig.close();
  context.direct = await directInvoke(rig.stacks.dirs.prod, "voice/hello");
});

malformed.after(async ({ direct }) => direct.close());

for (const event of MALFORMED_EVENTS) {
  malformed(`${JSON.stringify(event).slice(0, 60)} → 400 and one warn line`, ({ direct }) => expectNotAnEvent(direct, event));
}

malformed(`50 random JSON events → 400 (seed ${SEED})`, async ({ direct }) => {
  const run = await checkProperty(malformedEventProperty(direct), { numRuns: 50, seed: SEED });
  assert.is(run.failed, 0, run.failure);
});

malformed.run();
