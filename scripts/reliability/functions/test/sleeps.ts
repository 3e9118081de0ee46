/** Fixture webhook of the reliability suites (not deployed): outlives its 1-second function timeout. */
import VoiceResponse from "twilio/lib/twiml/VoiceResponse";

export default async function sleeps(): Promise<VoiceResponse> {
  await new Promise((resolve) => setTimeout(resolve, 5000));
  return new VoiceResponse();
}
