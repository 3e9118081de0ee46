// The call Twilio apps are most often built for, walked end to end by `local/call.ts` against
// handlers running in the real runtime (signature check included): a transfer that finds the line
// busy, a voicemail, then a spoken answer. Exact transcript, exact requests.
// Parameters: twilio.com/docs/voice/twiml/dial#action, /record#attributes-action,
// /gather#action; the status callback's SipResponseCode=486 for busy is as recorded.
import { execFile } from "node:child_process";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import type { DialAction, GatherAction, IncomingCall, RecordAction, TwilioRequest } from "../runtime";
import { startFunctionServer, type FunctionServer } from "./helpers/function-server";
import { TOKEN } from "./helpers/twiml-server";

const ROOT = path.resolve(__dirname, "..");
const JA = { language: "ja-JP", voice: "Polly.Kazuha-Neural" } as const;

type Context = { server: FunctionServer; seen: Array<{ route: string; params: Record<string, string> }> };
const flow = suite<Context>("local/call.ts: --dial busy --record 5 --speech … --param walk a transfer, a voicemail and a spoken answer");

flow.before(async (ctx) => {
  ctx.seen = [];
  const seen = (route: string) => (req: TwilioRequest<unknown>) => void ctx.seen.push({ route, params: req.params as Record<string, string> });
  ctx.server = await startFunctionServer(
    {
      "/voice/transfer": (req: TwilioRequest<IncomingCall>) => {
        seen("transfer")(req);
        const twiml = new VoiceResponse();
        twiml.say(JA, `${req.params.CallerName ?? "お客"}様、担当者におつなぎします。`);
        twiml.dial({ action: req.urlFor("/voice/after-dial"), timeout: 20 }, "+81355550100");
        return twiml;
      },
      "/voice/after-dial": (req: TwilioRequest<DialAction>) => {
        seen("after-dial")(req);
        const twiml = new VoiceResponse();
        if (req.params.DialCallStatus === "completed") return twiml;
        twiml.say(JA, "ただいま電話に出られません。発信音のあとにご用件をどうぞ。");
        twiml.record({ action: req.urlFor("/voice/saved"), maxLength: 60, timeout: 3 });
        twiml.say(JA, "録音できませんでした。");
        return twiml;
      },
      "/voice/saved": (req: TwilioRequest<RecordAction>) => {
        seen("saved")(req);
        const twiml = new VoiceResponse();
        const gather = twiml.gather({ input: ["speech"], language: "ja-JP", action: req.urlFor("/voice/callback") });
        gather.say(JA, `${req.params.RecordingDuration}秒のメッセージを承りました。折り返しをご希望ですか?`);
        return twiml;
      },
      "/voice/callback": (req: TwilioRequest<GatherAction>) => {
        seen("callback")(req);
        const twiml = new VoiceResponse();
        twiml.say(JA, `「${req.params.SpeechResult}」と承りました。失礼いたします。`);
        twiml.hangup();
        return twiml;
      },
    },
    TOKEN,
  );
});
flow.after(async (ctx) => ctx.server.close());

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--require", "tsx/cjs", "local/call.ts", ...args], { cwd: ROOT, env: { PATH: process.env.PATH, TWILIO_AUTH_TOKEN: TOKEN }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

flow("the transcript says each step, and each handler gets what Twilio would send", async (ctx) => {
  const base = ctx.server.base;
  const result = await cli([
    `${base}/voice/transfer`, "--dial", "busy", "--record", "5:明日また電話します", "--speech", "はい、お願いします", "--param", "CallerName=ヤマダ",
  ]);
  assert.is(result.stderr, "");
  assert.is(result.code, 0, "every request was answered as Twilio needs");
  assert.equal(result.stdout.replace(/\(\d+ ms\)/g, "(… ms)").trimEnd().split("\n"), [
    `POST ${base}/voice/transfer → 200 application/xml (… ms)`,
    "  Twilio says [Polly.Kazuha-Neural, ja-JP]: ヤマダ様、担当者におつなぎします。",
    "  Twilio dials +81355550100: busy",
    `[dial] POST ${base}/voice/after-dial → 200 application/xml (… ms)`,
    "  Twilio says [Polly.Kazuha-Neural, ja-JP]: ただいま電話に出られません。発信音のあとにご用件をどうぞ。",
    `  Twilio records (beep), up to 60 s, 3 s of silence or 1234567890*# ends → POST ${base}/voice/saved`,
    "  Caller speaks 5 s: 明日また電話します",
    `[record] POST ${base}/voice/saved → 200 application/xml (… ms)`,
    "  Twilio says [Polly.Kazuha-Neural, ja-JP]: 5秒のメッセージを承りました。折り返しをご希望ですか?",
    `  Twilio listens for speech, 5 s timeout → POST ${base}/voice/callback`,
    "  Caller says: はい、お願いします (confidence 0.9)",
    `[gather] POST ${base}/voice/callback → 200 application/xml (… ms)`,
    "  Twilio says [Polly.Kazuha-Neural, ja-JP]: 「はい、お願いします」と承りました。失礼いたします。",
    "  Twilio hangs up (<Hangup>)",
    "Done: completed, 24 s.", // the prompts at the simulated speaking rate, 5 s spoken and 3 s of silence
  ]);
  const [first, dial, record, gather] = ctx.seen;
  assert.equal(ctx.seen.map((s) => s.route), ["transfer", "after-dial", "saved", "callback"]);
  const extra = (params: Record<string, string>) => Object.fromEntries(Object.entries(params).filter(([k, v]) => first.params[k] !== v));
  assert.is(first.params.CallerName, "ヤマダ", "--param reaches the first request");
  assert.equal(extra(dial.params), { CallStatus: "in-progress", DialCallStatus: "busy", DialCallSid: dial.params.DialCallSid, DialCallDuration: "0", DialBridged: "false" });
  assert.equal(extra(record.params), {
    CallStatus: "in-progress",
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${first.params.AccountSid}/Recordings/${record.params.RecordingSid}`,
    RecordingSid: record.params.RecordingSid,
    RecordingDuration: "5",
    Digits: "",
  });
  assert.equal(extra(gather.params), { CallStatus: "in-progress", SpeechResult: "はい、お願いします", Confidence: "0.9", msg: "Gather End" });
  assert.ok([dial, record, gather].every((s) => s.params.CallerName === "ヤマダ"), "--param reaches every request of the call");
});

flow.run();
