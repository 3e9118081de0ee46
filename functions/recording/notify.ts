/**
 * Webhook: voice — the recordingStatusCallback of voice/voicemail's <Record>.
 * Inputs: RecordingStatusCallback parameters; the settings NOTIFY_TO ("" only logs), NOTIFY_FROM,
 * TWILIO_API_URL and TWILIO_API_KEY, and the secret TWILIO_API_SECRET.
 * Output: an empty <Response/> (Twilio reads no TwiML here); the new message goes to the log line
 * and, with NOTIFY_TO set, to the owner by SMS.
 */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import type { RecordingStatusCallback, TwilioRequest } from "../../runtime";
import { sendSms } from "../lib/send-sms.private";

export default async function notify(rec: TwilioRequest<RecordingStatusCallback>): Promise<VoiceResponse> {
  const { RecordingStatus, RecordingSid, RecordingUrl, RecordingDuration, AccountSid } = rec.params;
  rec.log({ recordingStatus: RecordingStatus, recordingSid: RecordingSid, recordingUrl: RecordingUrl, recordingSeconds: Number(RecordingDuration) });
  const to = rec.setting("NOTIFY_TO");
  if (RecordingStatus === "completed" && to !== "") {
    const body = `留守番電話に${RecordingDuration}秒のメッセージがあります: ${RecordingUrl}`;
    rec.log({ notifiedBy: await sendSms(rec, { accountSid: AccountSid, to, from: rec.setting("NOTIFY_FROM"), body }) });
  }
  return new VoiceResponse();
}
