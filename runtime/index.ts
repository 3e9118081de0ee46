// What handlers import: the request type, the typed parameters, and how to speak Japanese.
import type { SayAttributes } from "twilio/lib/twiml/VoiceResponse";
import type { TwilioRequest } from "./request";

export type { TwilioRequest } from "./request";
export type { Params } from "./params";
export type { Webhook, Twiml } from "./webhook";
export type { IncomingCall, IncomingMessage, CallStatusCallback, FallbackParams } from "./twilio-params";

/** Twilio's Amazon Polly neural voice for Japanese; a stage can choose another with its `voice` variable. */
export const JAPANESE_VOICE = "Polly.Kazuha-Neural";

/** <Say> attributes for Japanese in the stage's voice. */
export function japaneseSay(req: TwilioRequest<unknown>): SayAttributes {
  return { language: "ja-JP", voice: (req.stageVariables.voice || JAPANESE_VOICE) as SayAttributes["voice"] };
}
