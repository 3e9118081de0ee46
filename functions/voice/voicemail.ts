/**
 * Webhook: voice — the action of voice/forward's <Dial>, and of its own <Record>.
 * Inputs: DialAction (DialCallStatus), then RecordAction (RecordingSid); neither when
 * voice/forward sent the call straight here.
 * Output: a hang-up after a call that was answered; otherwise a <Record> whose recording
 * recording/notify hears about; after the recording, thanks and goodbye.
 */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";
import { japaneseSay, type DialAction, type RecordAction, type TwilioRequest } from "../../runtime";

type Params = Partial<DialAction> & Partial<RecordAction>;

/** The longest message a caller can leave, in seconds. */
const MAX_MESSAGE_SECONDS = 120;

export default function voicemail(call: TwilioRequest<Params>): VoiceResponse {
  const twiml = new VoiceResponse();
  const say = japaneseSay(call);
  const { DialCallStatus, RecordingSid } = call.params;
  if (DialCallStatus === "completed" || DialCallStatus === "answered") {
    twiml.hangup();
    return twiml;
  }
  if (DialCallStatus === undefined && RecordingSid !== undefined) {
    twiml.say(say, "メッセージを承りました。失礼いたします。");
    twiml.hangup();
    return twiml;
  }
  twiml.say(say, "ただいま電話に出ることができません。発信音のあとにメッセージをどうぞ。終わりましたらシャープを押してください。");
  twiml.record({
    action: call.urlFor("/voice/voicemail"),
    method: "POST",
    maxLength: MAX_MESSAGE_SECONDS,
    finishOnKey: "#",
    recordingStatusCallback: call.urlFor("/recording/notify"),
    recordingStatusCallbackMethod: "POST",
  });
  // Twilio goes on here when the caller said nothing: an empty recording calls no action.
  twiml.say(say, "メッセージが録音されませんでした。失礼いたします。");
  twiml.hangup();
  return twiml;
}
