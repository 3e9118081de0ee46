/** Fixture webhook of the reliability suites (not deployed): always throws. */
import type { TwilioRequest } from "../../../../runtime";

export const FAILURE = "fixture failure: the throwing webhook always throws";

export default function throws(req: TwilioRequest): never {
  req.log({ handlerRan: true });
  throw new Error(FAILURE);
}
