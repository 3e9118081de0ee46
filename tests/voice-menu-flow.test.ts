// A flow test as the README shows it: the dev stage on the emulator, a caller who presses 1.
import { Writable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startServer, type RunningServer } from "../local/server";
import { simulateCall } from "../local/simulator";

const TOKEN = "flow-test-token-0123456789abcdef";
const menu = suite<{ emulator: RunningServer }>("voice/menu, as a caller walks it");

menu.before(async (ctx) => {
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const env = { TWILIO_AUTH_TOKEN: TOKEN };
  ctx.emulator = await startServer({ stack: "cdktf.out/stacks/denwa-dev", port: 0, env, log: () => {}, functionOutput: quiet });
});
menu.after(async (ctx) => ctx.emulator.close());

menu("1 gives the business hours, then Twilio hangs up", async (ctx) => {
  const call = await simulateCall(`${ctx.emulator.url}/dev/voice/menu`, { authToken: TOKEN, digits: ["1"] });
  assert.equal(call.heard, [
    "営業時間のご案内は1を、ごあいさつは2を、メニューの繰り返しは9を、終了は0を押してください。",
    "営業時間は、平日の午前9時から午後6時までです。",
  ]);
  assert.is(call.failed, false);
});

menu.run();
