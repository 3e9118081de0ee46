/** Fixture webhook of the reliability suites (not deployed): never answers, so it outlives any function timeout. */
import type VoiceResponse from "twilio/lib/twiml/VoiceResponse";

export default function sleeps(): Promise<VoiceResponse> {
  return new Promise(() => {});
}
