// `make wire NUMBER=+81…`: points a Twilio phone number at a deployed stage (voice, fallback,
// status callback, SMS) through Twilio's REST API, each webhook at the route the stage's `wire`
// setting names, its URL from the stage's outputs. DRY_RUN=1 shows the change and makes none.
import twilio from "twilio";
import RequestClient from "twilio/lib/base/RequestClient";
import { UserError } from "../contract";
import { runCommand } from "../contract/cli";
import type { StageName } from "../infra/names";
import type { StageSettings } from "../infra/stage-config";
import { deployedWebhookUrls } from "./outputs";
import { selectedStage } from "./stage";
import { columns } from "./table";

/** The starter that receives Twilio's own alerts (functions/twilio/alerts.ts). */
const ALERTS_ROUTE = "twilio/alerts";

const E164 = /^\+[1-9]\d{6,14}$/;

/** The number's webhook settings this script owns, in the REST client's names. */
export const FIELDS = [
  "voiceUrl",
  "voiceMethod",
  "voiceFallbackUrl",
  "voiceFallbackMethod",
  "statusCallback",
  "statusCallbackMethod",
  "smsUrl",
  "smsMethod",
  "smsFallbackUrl",
  "smsFallbackMethod",
] as const;
export type WebhookSettings = Record<(typeof FIELDS)[number], string>;

export interface WireIo {
  env: NodeJS.ProcessEnv;
  print: (line: string) => void;
  outputsDir?: string;
  /** The stages' settings; infra/stages.ts unless given. */
  stages?: Record<StageName, StageSettings>;
}

export async function wire({ env, print, outputsDir, stages }: WireIo): Promise<void> {
  const stage = selectedStage(env, stages);
  const number = (env.NUMBER ?? "").trim();
  if (!E164.test(number)) throw new UserError(`NUMBER=${number || "(unset)"} must be a phone number in E.164 form, such as +815012345678.`);
  const accountSid = env.TWILIO_ACCOUNT_SID ?? "";
  if (!/^AC[0-9a-f]{32}$/i.test(accountSid)) throw new UserError("TWILIO_ACCOUNT_SID must be set to your account SID (AC followed by 32 hexadecimal characters).");
  const [username, password] = env.TWILIO_API_KEY ? [env.TWILIO_API_KEY, env.TWILIO_API_SECRET] : [accountSid, env.TWILIO_AUTH_TOKEN];
  if (!password) throw new UserError("Set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET, to let make wire change the number.");

  const urls = deployedWebhookUrls(stage.stage, stage.stack, outputsDir);
  const wiring = { ...stage.wire, ...(env.FN ? { voice: env.FN } : {}) };
  const url = (field: keyof typeof wiring): string | undefined => {
    const route = wiring[field];
    if (route === null) return undefined;
    if (!urls[route]) {
      const setting = field === "voice" && env.FN ? `FN=${route}` : `wire.${field} (${route})`;
      throw new UserError(`${setting} names no webhook of the ${stage.stage} stage, which has ${Object.keys(urls).sort().join(", ")}: change it in infra/stages.ts, or set it to null to leave the number's ${field} webhook as it is.`);
    }
    return urls[route];
  };
  // Each webhook the stage wires, with the method denwa's routes answer; null ones are left out.
  const after: Partial<WebhookSettings> = {};
  for (const [field, urlField, methodField] of [
    ["voice", "voiceUrl", "voiceMethod"],
    ["voiceFallback", "voiceFallbackUrl", "voiceFallbackMethod"],
    ["statusCallback", "statusCallback", "statusCallbackMethod"],
    ["sms", "smsUrl", "smsMethod"],
    ["smsFallback", "smsFallbackUrl", "smsFallbackMethod"],
  ] as const) {
    const target = url(field);
    if (target !== undefined) Object.assign(after, { [urlField]: target, [methodField]: "POST" });
  }

  const client = twilio(username, password, { accountSid, httpClient: apiClient(env.TWILIO_API_BASE_URL) });
  const found = await twilioCall(() => client.incomingPhoneNumbers.list({ phoneNumber: number, limit: 1 }));
  if (found.length === 0) throw new UserError(`${number} is not a phone number of account ${accountSid}.`);
  const before = Object.fromEntries(FIELDS.map((f) => [f, String(found[0][f] ?? "")])) as WebhookSettings;
  print(table(before, after));
  if (env.DRY_RUN === "1") {
    print(`DRY_RUN=1: nothing changed on ${number}.`);
    return;
  }
  await twilioCall(() => client.incomingPhoneNumbers(found[0].sid).update(after));
  // Twilio's REST API has no setting for the account's Debugger webhook (Monitor's Alerts API only reads).
  const alerts = urls[ALERTS_ROUTE];
  if (alerts) print(`Twilio's REST API cannot set the Debugger webhook: paste ${alerts} in the Twilio console under Monitor > Logs > Errors > Webhook.`);
  print(`${number} now calls the ${stage.stage} stage: ${after.voiceUrl ?? "its voice webhook left as it was"}`);
}

/** Twilio's REST host, or a stand-in (TWILIO_API_BASE_URL) through the client's own HTTP client setting. */
function apiClient(base: string | undefined): RequestClient | undefined {
  if (!base) return undefined;
  const client = new RequestClient();
  const send = client.request.bind(client);
  client.request = (opts) => send({ ...opts, uri: opts.uri?.replace(/^https:\/\/[^/]+/, base.replace(/\/+$/, "")) });
  return client;
}

async function twilioCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err as { status?: number; code?: number; message?: string };
    if (e.status === 401) throw new UserError("Twilio refused these credentials (HTTP 401): check TWILIO_ACCOUNT_SID and the token or API key.");
    throw new Error(`Twilio answered ${e.status ?? "no status"}${e.code ? ` (error ${e.code})` : ""}: ${e.message ?? String(err)}`);
  }
}

function table(before: WebhookSettings, after: Partial<WebhookSettings>): string {
  const shown = (f: (typeof FIELDS)[number]) => (after[f] === undefined ? "(left as it is)" : after[f] === before[f] ? "(same)" : after[f]);
  return columns([["setting", "before", "after"], ...FIELDS.map((f) => [f, before[f] || "-", shown(f)])]);
}

if (require.main === module) {
  // DENWA_OUTPUTS_DIR lets the guides' test point make wire at outputs of its own.
  runCommand({ name: "make wire", usage: "usage: make wire NUMBER=+81… [STAGE=dev|prod] [FN=voice/hello] [DRY_RUN=1]", options: {} }, () => wire({ env: process.env, print: (line) => console.log(line), outputsDir: process.env.DENWA_OUTPUTS_DIR }));
}
