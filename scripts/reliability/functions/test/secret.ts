/**
 * Fixture webhook of the reliability suites (not deployed): the worst a handler can do with a
 * secret, logging it (in its log line and on the console) and throwing it, so the leak suite can
 * show it reaches no answer or log line.
 */
import type { TwilioRequest } from "../../../../runtime";

export default function secret(req: TwilioRequest): never {
  const value = req.secret("FIXTURE_SECRET");
  req.log({ careless: value });
  console.log("calling the API with", value);
  throw new Error(`fixture failure: the API refused ${value}`);
}
