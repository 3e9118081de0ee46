/** Fixture webhook of the reliability suites (not deployed): returns text that is not TwiML. */
import type { Twiml, TwilioRequest } from "../../../../runtime";

export default function notTwiml(req: TwilioRequest): Twiml {
  req.log({ handlerRan: true });
  return { toString: () => "Thank you for calling." };
}
