// The dev and prod stacks of ./stacks.ts, each served by its own emulator with the local token.
import type { StageName } from "../../infra/names";
import { serve, type Served } from "./served";
import { reliabilityStacks, type Stacks } from "./stacks";
import { TOKEN } from "./twilio-client";

export interface Rig {
  stacks: Stacks;
  dev: Served;
  prod: Served;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const stacks = await reliabilityStacks();
  const start = (stage: StageName) => serve(stacks.dirs[stage], stage, { TWILIO_AUTH_TOKEN: TOKEN });
  const dev = await start("dev");
  const prod = await start("prod");
  return { stacks, dev, prod, close: async () => void (await Promise.all([dev.close(), prod.close()])) };
}
