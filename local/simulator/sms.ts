// An incoming SMS or MMS: the message webhook, then the replies the answer asks Twilio to send
// (<Message> with its body, media and addressees), following <Redirect> and <Message action> as
// Twilio does, within Twilio's limits for one reply session.
import { TWILIO_MAX_MESSAGE_CHARACTERS } from "../../contract";
import type { Method } from "./http";
import { givenAccount, messageActionParams, messageParams, newParties, newSid } from "./params";
import { methodOf, resolveUrl, Session, type Fetch, type SessionOptions, type SimResult } from "./session";
import { childElements, textContent, type XmlElement } from "./twiml";

export interface SmsOptions extends SessionOptions {
  media?: string[];
  method?: Method;
  from?: string;
  to?: string;
}

/** Documents one reply session may request (twilio.com/docs/api/errors/14106). */
export const MAX_DOCUMENTS = 50;
/** Replies one incoming message may get (twilio.com/docs/api/errors/14109). */
export const MAX_REPLIES = 10;

export async function simulateSms(url: string, text: string, options: SmsOptions = {}): Promise<SimResult> {
  const session = new Session(options, "messaging");
  const parties = newParties(options.from, options.to, givenAccount(options.params));
  const params = messageParams(parties, text, options.media ?? []);
  let replies = 0;
  let documents = 0;
  /** Sends one reply and returns its SID, or null when Twilio would not send it. */
  const reply = (body: string, media: string[], to = parties.from, from = parties.to): string | null => {
    if (body === "" && media.length === 0) {
      session.warn("<Message> has no body and no media, so Twilio sends nothing.", 14103);
      return null;
    }
    const length = [...body].length;
    if (length > TWILIO_MAX_MESSAGE_CHARACTERS) {
      session.warn(`<Message> has ${length} characters; Twilio sends at most ${TWILIO_MAX_MESSAGE_CHARACTERS}.`, 14103);
      return null;
    }
    if (replies === MAX_REPLIES) {
      session.warn(`Twilio sends at most ${MAX_REPLIES} replies to one incoming message; this one is dropped.`, 14109);
      return null;
    }
    replies++;
    session.emit({ event: "message", from, to, body, media });
    return newSid(media.length > 0 ? "MM" : "SM");
  };
  let request: Fetch | null = { url, method: options.method ?? "POST", params, purpose: "message" };
  while (request !== null) {
    if (documents === MAX_DOCUMENTS) {
      session.warn(`The reply session requested ${MAX_DOCUMENTS} documents, Twilio's limit; probably a loop.`, 14106);
      break;
    }
    documents++;
    const fetched = await session.fetch(request);
    request = null;
    if (fetched === null) break;
    const { answer, url: documentUrl } = fetched;
    if (answer.kind === "text") reply(answer.text, []);
    if (answer.kind !== "twiml") break;
    for (const verb of childElements(answer.root)) {
      if (!session.step()) break;
      if (verb.name === "Message") {
        const { body, media } = messageContent(verb);
        const to = verb.attributes.to ?? parties.from;
        const from = verb.attributes.from ?? parties.to;
        const sid = reply(body, media, to, from);
        // With an action, Twilio reports the reply there and carries on with the TwiML it answers.
        if (verb.attributes.action === undefined) continue;
        const action = resolveUrl(session, verb.attributes.action, documentUrl);
        if (action === null) continue;
        const actionParams = messageActionParams(params, sid ?? newSid("SM"), from, to, sid === null ? "failed" : "sent");
        request = { url: action, method: methodOf(session, verb), params: actionParams, purpose: "message-action" };
        break;
      }
      if (verb.name === "Redirect") {
        const target = resolveUrl(session, textContent(verb), documentUrl);
        if (target === null) continue;
        const method = methodOf(session, verb);
        session.emit({ event: "redirect", method, url: target });
        request = { url: target, method, params, purpose: "redirect" };
        break;
      }
      session.warn(`<${verb.name}> is not a TwiML messaging verb; Twilio skips it.`);
    }
  }
  return session.finish(replies === 0 ? "no reply" : replies === 1 ? "1 reply" : `${replies} replies`, null);
}

/** A <Message> holds either plain text or <Body> and <Media> nouns. */
function messageContent(message: XmlElement): { body: string; media: string[] } {
  const nouns = childElements(message);
  if (nouns.length === 0) return { body: textContent(message).trim(), media: [] };
  return {
    body: nouns.filter((noun) => noun.name === "Body").map((noun) => textContent(noun).trim()).join(""),
    media: nouns.filter((noun) => noun.name === "Media").map((noun) => textContent(noun).trim()),
  };
}
