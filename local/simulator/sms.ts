// An incoming SMS or MMS: the message webhook, then the replies the answer asks Twilio to send
// (<Message> with its body, media and addressees), following <Redirect> as Twilio does.
import type { Method } from "./http";
import { messageParams, newParties } from "./params";
import { methodOf, resolveUrl, Session, type Fetch, type SessionOptions, type SimResult } from "./session";
import { childElements, textContent, type XmlElement } from "./twiml";

export interface SmsOptions extends SessionOptions {
  url: string;
  body: string;
  media?: string[];
  method?: Method;
  from?: string;
  to?: string;
}

export async function simulateSms(options: SmsOptions): Promise<SimResult> {
  const session = new Session(options, "messaging");
  const parties = newParties(options.from, options.to);
  const params = messageParams(parties, options.body, options.media ?? []);
  let replies = 0;
  const reply = (body: string, media: string[], to = parties.from, from = parties.to) => {
    replies++;
    session.emit({ event: "message", from, to, body, media });
  };
  let request: Fetch | null = { url: options.url, method: options.method ?? "POST", params, purpose: "message" };
  while (request !== null) {
    const fetched = await session.fetch(request);
    request = null;
    if (fetched === null) break;
    const { answer, url } = fetched;
    if (answer.kind === "text") reply(answer.text, []);
    if (answer.kind !== "twiml") break;
    for (const verb of childElements(answer.root)) {
      if (!session.step()) break;
      if (verb.name === "Message") {
        const { body, media } = messageContent(verb);
        reply(body, media, verb.attributes.to, verb.attributes.from);
      } else if (verb.name === "Redirect") {
        const target = resolveUrl(session, textContent(verb), url);
        if (target === null) continue;
        const method = methodOf(session, verb);
        session.emit({ event: "redirect", method, url: target });
        request = { url: target, method, params, purpose: "redirect" };
        break;
      } else {
        session.warn(`<${verb.name}> is not a TwiML messaging verb; Twilio skips it.`);
      }
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
