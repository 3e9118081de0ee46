// What handlers import: the request type, the typed parameters, and how to speak Japanese.
import type { SayAttributes } from "twilio/lib/twiml/VoiceResponse";
import { DEFAULT_VOICE } from "../contract";
import type { TwilioRequest } from "./request";

export type { TwilioRequest } from "./request";
export type { Params } from "./params";
export type { Webhook, Twiml } from "./webhook";
export type {
  IncomingCall,
  IncomingMessage,
  CallStatusCallback,
  FallbackParams,
  GatherAction,
  DialAction,
  RecordAction,
  RecordingStatusCallback,
  TranscriptionCallback,
  MessageStatusCallback,
} from "./twilio-params";
export { alertLogFields, type DebuggerEvent, type AlertPayload } from "./twilio-alert";

/** <Say> attributes for Japanese in the stage's voice. */
export function japaneseSay(req: TwilioRequest<unknown>): SayAttributes {
  return { language: "ja-JP", voice: (req.stageVariables.voice || DEFAULT_VOICE) as SayAttributes["voice"] };
}

/**
 * Caller text made safe to put in TwiML: XML 1.0 cannot hold most control characters (a form
 * feed in an SMS, say) or lone surrogates, and twilio's XML builder throws on them.
 */
export function xmlText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}
