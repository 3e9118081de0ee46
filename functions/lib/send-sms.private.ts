// One SMS through Twilio's REST API (POST …/Accounts/{AccountSid}/Messages.json), signed in with
// an API key. A plain fetch: the twilio package's REST client would add hundreds of kilobytes to
// the bundle for this one request. Shared code, not a route (*.private.ts).
import type { TwilioRequest } from "../../runtime";

export interface Sms {
  accountSid: string;
  to: string;
  from: string;
  body: string;
}

/**
 * Sends it with the settings TWILIO_API_URL and TWILIO_API_KEY and the secret TWILIO_API_SECRET;
 * resolves with the new message's SID, or throws one sentence with Twilio's status and code.
 */
export async function sendSms(req: TwilioRequest<unknown>, sms: Sms): Promise<string> {
  const base = req.setting("TWILIO_API_URL").replace(/\/+$/, "");
  const key = req.setting("TWILIO_API_KEY");
  const auth = Buffer.from(`${key}:${req.secret("TWILIO_API_SECRET")}`, "utf8").toString("base64");
  const response = await req.fetch(`${base}/2010-04-01/Accounts/${sms.accountSid}/Messages.json`, {
    method: "POST",
    headers: { Authorization: `Basic ${auth}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ To: sms.to, From: sms.from, Body: sms.body }).toString(),
  });
  const reply = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
  if (response.status !== 201 || !reply.sid) {
    throw new Error(`Twilio did not send the SMS to ${sms.to}: HTTP ${response.status}${reply.code ? ` (error ${reply.code})` : ""} ${reply.message ?? ""}`.trim());
  }
  return reply.sid;
}
