// Suite 2: each Content-Type's documented answer through the emulator, and bad bodies as 400 sentences.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CONTENT_TYPE_CASES, arbitraryBodyProperty } from "../scripts/reliability/content-types";
import { checkProperty, seedFromEnv } from "../scripts/reliability/property";
import { startRig, type Rig } from "../scripts/reliability/rig";

const SEED = seedFromEnv();
const types = suite<{ rig: Rig }>("reliability: content types and bad bodies", {} as { rig: Rig });

types.before(async (context) => {
  context.rig = await startRig();
});

types.after(async ({ rig }) => rig.close());

for (const one of CONTENT_TYPE_CASES) types(one.name, ({ rig }) => one.run(rig));

types(`100 random byte bodies posted as a form get a 400 or 403 sentence, never a 500 (seed ${SEED})`, async ({ rig }) => {
  const run = await checkProperty(arbitraryBodyProperty(rig.prod), { numRuns: 100, seed: SEED });
  assert.is(run.failed, 0, run.failure);
});

types.run();
