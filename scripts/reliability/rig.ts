// The dev and prod stacks of ./stacks.ts, each served by its own emulator with the local token.
import type { StageName } from "../../infra/names";
import { serve, type Served } from "./served";
import { ENV } from "../../contract";
import { FIXTURE_SECRET, reliabilityStacks, type Stacks } from "./stacks";
import { TOKEN } from "./twilio-client";

export interface Rig {
  stacks: Stacks;
  dev: Served;
  prod: Served;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const stacks = await reliabilityStacks();
  const env = { TWILIO_AUTH_TOKEN: TOKEN, [ENV.localSecrets]: JSON.stringify({ FIXTURE_SECRET }) };
  const start = (stage: StageName) => serve(stacks.dirs[stage], stage, env);
  const dev = await start("dev");
  const prod = await start("prod");
  return { stacks, dev, prod, close: async () => void (await Promise.all([dev.close(), prod.close()])) };
}
