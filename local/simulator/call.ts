// An inbound call walked verb by verb the way Twilio executes TwiML: the document runs top to
// bottom, <Gather>, <Redirect> and errors move the call to another document, and the call ends
// on <Hangup>, <Reject>, the end of a document, the caller hanging up or the step limit.
import type { Method } from "./http";
import { callParams, newParties, newSid, statusCallbackParams, type CallStatus, type Parties } from "./params";
import { methodOf, resolveUrl, Session, type Fetch, type SessionOptions, type SimResult } from "./session";
import { childElements, textContent, type XmlElement } from "./twiml";

/** What a <Gather> asks of the caller. */
export interface GatherPrompt {
  numDigits: number | null;
  finishOnKey: string;
  timeout: number;
}

/**
 * The caller's keypad: the keys pressed for one <Gather> ("" = silence until the timeout),
 * or null when the caller hangs up instead.
 */
export interface Keypad {
  press(prompt: GatherPrompt): Promise<string | null>;
  /** Entries never used, reported so a scripted walk that ended early is noticed. */
  unused(): string[];
}

/** A keypad that plays back a fixed list, e.g. from --digits 1,,2 (the empty entry is silence). */
export function scriptedKeypad(entries: string[]): Keypad {
  const queue = [...entries];
  return {
    press: async () => (queue.length > 0 ? (queue.shift() as string) : null),
    unused: () => [...queue],
  };
}

export interface CallOptions extends SessionOptions {
  url: string;
  method?: Method;
  from?: string;
  to?: string;
  keypad?: Keypad;
  statusUrl?: string;
  /** The time stamped on the status callback. */
  now?: () => Date;
}

const VOICE_DEFAULT = "man";
const LANGUAGE_DEFAULT = "en-US";
const NOT_CARRIED_OUT = new Set(["Dial", "Record", "Enqueue", "Connect", "Leave", "Pay", "Refer", "Start", "Stop", "Echo", "Sms"]);
const PROMPT_VERBS = new Set(["Say", "Play", "Pause"]);

/** What a verb did to the flow of the call. */
type Flow = { next: "verb" } | { next: "fetch"; fetch: Fetch } | { next: "end"; status: CallStatus };

export async function simulateCall(options: CallOptions): Promise<SimResult> {
  const session = new Session(options, "voice");
  const call = new Call(session, newParties(options.from, options.to), options.keypad ?? scriptedKeypad([]));
  const status = await call.run({ url: options.url, method: options.method ?? "POST", params: call.params("ringing"), purpose: "call" });
  const duration = status === "completed" ? Math.ceil(call.seconds) : 0;
  const leftover = call.keypad.unused();
  if (leftover.length > 0) session.warn(`The call ended before these digits were pressed: ${leftover.join(", ")}.`, null);
  if (options.statusUrl !== undefined) {
    const at = (options.now ?? (() => new Date()))();
    await session.notify(options.statusUrl, statusCallbackParams(call.parties, call.sid, status, duration, at));
  }
  return session.finish(status, duration);
}

class Call {
  readonly sid = newSid("CA");
  /** Simulated time on the line: speech, pauses and timeouts, so CallDuration is plausible and repeatable. */
  seconds = 0;
  private answered = false;

  constructor(
    private readonly session: Session,
    readonly parties: Parties,
    readonly keypad: Keypad,
  ) {}

  params(status: CallStatus) {
    return callParams(this.parties, this.sid, status);
  }

  async run(first: Fetch): Promise<CallStatus> {
    let request: Fetch = first;
    for (;;) {
      const fetched = await this.session.fetch(request);
      if (fetched === null) return this.hangup("twilio", "after the error above");
      const { answer, url } = fetched;
      if (answer.kind === "audio") {
        this.session.emit({ event: "play", url, digits: "", loop: 1 });
        return this.hangup("twilio", "an audio answer is played, then the call ends");
      }
      if (answer.kind === "text") {
        this.say(answer.text, VOICE_DEFAULT, LANGUAGE_DEFAULT, 1);
        return this.hangup("twilio", "a text/plain answer is read, then the call ends");
      }
      if (answer.kind !== "twiml") return this.hangup("twilio", "nothing to do");
      const flow = await this.document(answer.root, url);
      if (flow.next === "end") return flow.status;
      if (flow.next === "verb") return this.hangup("twilio", "end of the document");
      request = flow.fetch;
    }
  }

  private async document(root: XmlElement, url: string): Promise<Flow> {
    for (const verb of childElements(root)) {
      if (!this.session.step()) return { next: "end", status: "completed" };
      const flow = await this.verb(verb, url);
      if (flow.next !== "verb") return flow;
      this.answered = true;
    }
    return { next: "verb" };
  }

  private async verb(verb: XmlElement, url: string): Promise<Flow> {
    const a = verb.attributes;
    switch (verb.name) {
      case "Say":
        this.say(textContent(verb), a.voice ?? VOICE_DEFAULT, a.language ?? LANGUAGE_DEFAULT, count(a.loop, 1));
        return { next: "verb" };
      case "Play":
        this.session.emit({ event: "play", url: textContent(verb).trim(), digits: a.digits ?? "", loop: count(a.loop, 1) });
        return { next: "verb" };
      case "Pause": {
        const seconds = count(a.length, 1);
        this.seconds += seconds;
        this.session.emit({ event: "pause", seconds });
        return { next: "verb" };
      }
      case "Gather":
        return this.gather(verb, url);
      case "Redirect": {
        const target = resolveUrl(this.session, textContent(verb), url);
        if (target === null) return { next: "verb" };
        const method = methodOf(this.session, verb);
        this.session.emit({ event: "redirect", method, url: target });
        return { next: "fetch", fetch: { url: target, method, params: this.params("in-progress"), purpose: "redirect" } };
      }
      case "Hangup":
        return { next: "end", status: this.hangup("twilio", "<Hangup>") };
      case "Reject": {
        const reason = a.reason === "busy" ? "busy" : "rejected";
        this.session.emit({ event: "reject", reason });
        // Only a <Reject> before anything else keeps the call unanswered (and unbilled).
        if (this.answered) return { next: "end", status: "completed" };
        return { next: "end", status: reason === "busy" ? "busy" : "no-answer" };
      }
      default:
        if (NOT_CARRIED_OUT.has(verb.name)) this.session.emit({ event: "not-carried-out", verb: verb.name, detail: describe(verb) });
        else this.session.warn(`<${verb.name}> is not a TwiML voice verb; Twilio skips it.`);
        return { next: "verb" };
    }
  }

  private async gather(gather: XmlElement, url: string): Promise<Flow> {
    const a = gather.attributes;
    for (const nested of childElements(gather)) {
      if (!PROMPT_VERBS.has(nested.name)) {
        this.session.warn(`<${nested.name}> cannot be nested in <Gather>; Twilio skips it.`);
        continue;
      }
      if (!this.session.step()) return { next: "end", status: "completed" };
      await this.verb(nested, url);
    }
    const action = resolveUrl(this.session, a.action ?? url, url) ?? url;
    const method = methodOf(this.session, gather);
    const prompt: GatherPrompt = {
      numDigits: a.numDigits === undefined ? null : count(a.numDigits, 1),
      finishOnKey: a.finishOnKey ?? "#",
      timeout: count(a.timeout, 5),
    };
    const input = a.input ?? "dtmf";
    this.session.emit({ event: "gather", ...prompt, input, method, action });
    const listensForKeys = input.split(/\s+/).includes("dtmf");
    if (!listensForKeys) this.session.warn("Speech input is not simulated and this Gather ignores keys, so the caller stays silent.", null);
    const entry = listensForKeys ? await this.keypad.press(prompt) : "";
    if (entry === null) return { next: "end", status: this.hangup("caller", "no more digits to press") };
    const { digits, finishedOnKey } = collect(entry, prompt);
    if (entry === "") {
      this.seconds += prompt.timeout;
      this.session.emit({ event: "silence", seconds: prompt.timeout });
    } else {
      if (finishedOnKey === "" && (prompt.numDigits === null || digits.length < prompt.numDigits)) this.seconds += prompt.timeout;
      this.session.emit({ event: "keys", digits, finishedOnKey });
    }
    // Without input Twilio goes on with the verb after <Gather>, unless told to report the empty result.
    if (digits === "" && a.actionOnEmptyResult !== "true") return { next: "verb" };
    const params = { ...this.params("in-progress"), Digits: digits, FinishedOnKey: finishedOnKey };
    return { next: "fetch", fetch: { url: action, method, params, purpose: "gather" } };
  }

  private say(text: string, voice: string, language: string, loop: number): void {
    const spoken = text.replace(/\s+/g, " ").trim();
    this.seconds += speakingSeconds(spoken) * Math.max(loop, 1);
    this.session.emit({ event: "say", text: spoken, voice, language, loop });
  }

  private hangup(by: "twilio" | "caller", reason: string): CallStatus {
    this.session.emit({ event: "hangup", by, reason });
    return "completed";
  }
}

/** The keys a <Gather> takes from what the caller typed: up to numDigits, or up to the finish key. */
function collect(entry: string, prompt: GatherPrompt): { digits: string; finishedOnKey: string } {
  let digits = "";
  for (const key of entry) {
    if (prompt.finishOnKey !== "" && key === prompt.finishOnKey) return { digits, finishedOnKey: key };
    digits += key;
    if (digits.length === prompt.numDigits) break;
  }
  return { digits, finishedOnKey: "" };
}

/** A non-negative whole-number attribute, or the default when absent or unusable. */
function count(value: string | undefined, fallback: number): number {
  return value !== undefined && /^\s*[0-9]+\s*$/.test(value) ? Number(value) : fallback;
}

// A rough speaking rate (Japanese about 7 characters a second, Latin text about 14) that only
// feeds the simulated CallDuration.
function speakingSeconds(text: string): number {
  let seconds = 0;
  for (const ch of text) seconds += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 1 / 7 : 1 / 14;
  return seconds;
}

/** A one-line summary of a verb that is printed but not carried out: its target and attributes. */
function describe(verb: XmlElement): string {
  const nouns = childElements(verb).map((noun) => `${noun.name} ${textContent(noun).trim()}`.trim());
  const target = nouns.length > 0 ? nouns.join(", ") : textContent(verb).trim();
  const attributes = Object.entries(verb.attributes).map(([name, value]) => `${name}="${value}"`);
  return [target, ...attributes].filter((part) => part !== "").join(" ");
}
