import { suite } from "uvu";
import * as assert from "uvu/assert";
import notify from "../functions/recording/notify";
import { recordingStatus, XML_HEAD } from "../testkit";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const RECORDING = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE0123456789abcdef0123456789abcdef`;
const SETTINGS = { NOTIFY_TO: "+819011112222", NOTIFY_FROM: "+815033334444", TWILIO_API_KEY: "SKkey", TWILIO_API_URL: "https://api.twilio.com" };
const SECRETS = { TWILIO_API_SECRET: "api-secret" };
const route = "/recording/notify";

/** A fetch that answers as Twilio's Messages resource does (201 Created) and keeps what it was sent. */
function twilioMessages(status = 201, reply: object = { sid: "SM0123456789abcdef0123456789abcdef", status: "queued" }) {
  const sent: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return new Response(JSON.stringify(reply), { status, headers: { "Content-Type": "application/json" } });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

const notifying = suite("recording/notify");

notifying("a completed recording is one SMS to NOTIFY_TO through Twilio's Messages resource, with the API key", async () => {
  const api = twilioMessages();
  const req = recordingStatus({ route, settings: SETTINGS, secrets: SECRETS, fetch: api.fetch });
  assert.is((await notify(req)).toString(), `${XML_HEAD}<Response/>`);
  assert.equal(api.sent.map((s) => s.url), [`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`]);
  assert.equal(api.sent[0].init.headers, { Authorization: `Basic ${Buffer.from("SKkey:api-secret").toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" });
  assert.equal(Object.fromEntries(new URLSearchParams(String(api.sent[0].init.body))), {
    To: "+819011112222",
    From: "+815033334444",
    Body: `留守番電話に12秒のメッセージがあります: ${RECORDING}`,
  });
  assert.is(req.logged.notifiedBy, "SM0123456789abcdef0123456789abcdef", "the log line names the SMS sent");
  assert.is(req.logged.recordingUrl, RECORDING);
});

notifying("with NOTIFY_TO empty, the recording is only logged, and no secret is needed", async () => {
  const req = recordingStatus({ route, settings: { ...SETTINGS, NOTIFY_TO: "" } });
  assert.is((await notify(req)).toString(), `${XML_HEAD}<Response/>`);
  assert.equal(req.logged, { recordingStatus: "completed", recordingSid: "RE0123456789abcdef0123456789abcdef", recordingUrl: RECORDING, recordingSeconds: 12 });
});

notifying("a recording that did not complete sends nothing", async () => {
  const req = recordingStatus({ route, status: "absent", settings: SETTINGS, secrets: SECRETS });
  assert.is((await notify(req)).toString(), `${XML_HEAD}<Response/>`, "the test kit's fetch refuses, so any request would fail the test");
});

notifying("Twilio refusing the SMS is an error with its status and code, so the log line says why", async () => {
  const api = twilioMessages(400, { code: 21211, message: "The 'To' number +819011112222 is not a valid phone number.", status: 400 });
  await notify(recordingStatus({ route, settings: SETTINGS, secrets: SECRETS, fetch: api.fetch })).then(
    () => assert.unreachable("must fail"),
    (err: Error) => assert.is(err.message, "Twilio did not send the SMS to +819011112222: HTTP 400 (error 21211) The 'To' number +819011112222 is not a valid phone number."),
  );
});

notifying.run();
