// An inbound call walked verb by verb the way Twilio executes TwiML: the document runs top to
// bottom; <Gather>, <Dial action>, <Record>, <Redirect> and errors move the call to another
// document; the call ends on <Hangup>, <Reject>, the end of a document, the caller hanging up or
// the step limit. Callbacks that Twilio sends while the call goes on (recording status,
// transcription) go out after the next document is fetched, the status callback last.
import type { DialCallStatus } from "../../runtime/twilio-params";
import { scriptedKeypad, type CallerScript, type GatherPrompt, type Keypad, type Utterance } from "./caller";
import type { Method } from "./http";
import {
  callParams,
  dialParams,
  gatherDigitsParams,
  gatherSpeechParams,
  givenAccount,
  newParties,
  newRecording,
  newSid,
  recordingStatusParams,
  recordParams,
  statusCallbackParams,
  transcriptionParams,
  type CallStatus,
  type Parties,
} from "./params";
import { methodOf, resolveUrl, Session, type Fetch, type SessionOptions, type SimResult } from "./session";
import { childElements, textContent, type XmlElement } from "./twiml";

export { scriptedKeypad, type GatherPrompt, type Keypad } from "./caller";

export interface CallOptions extends SessionOptions, CallerScript {
  method?: Method;
  from?: string;
  to?: string;
  /** One entry per <Gather>, "" for silence: a scripted keypad. */
  digits?: string[];
  /** A keypad of your own, e.g. one that asks at the terminal; overrides digits. */
  keypad?: Keypad;
  statusUrl?: string;
  /** The clock for the status callback's Timestamp and the recordings' start times. */
  now?: () => Date;
}

const VOICE_DEFAULT = "man";
const LANGUAGE_DEFAULT = "en-US";
/** How long an answered <Dial> lasts before the other party hangs up, in simulated seconds. */
export const DIAL_TALK_SECONDS = 30;
/** The Confidence sent with every simulated SpeechResult. */
export const SPEECH_CONFIDENCE = "0.9";
/** Twilio transcribes recordings of up to two minutes (twilio.com/docs/voice/twiml/record#attributes-transcribe). */
const TRANSCRIBE_MAX_SECONDS = 120;
const NOT_CARRIED_OUT: Record<string, string> = {
  Enqueue: "the caller waits in the queue, hearing the waitUrl, until an agent dequeues the call; the simulator stops here",
  Leave: "Twilio takes the caller out of the queue and requests the <Enqueue> action with QueueResult=leave",
  Connect: "the call is handed to the stream or application; the simulator stops here",
  Pay: "Twilio collects the card details with its payment connector; the simulator stops here",
  Refer: "Twilio sends a SIP REFER and the call leaves Twilio; the simulator stops here",
  Start: "it runs alongside the call, which goes on with the next verb",
  Stop: "the call goes on with the next verb",
  Echo: "the caller hears themselves until hanging up; the simulator stops here",
  Sms: "Twilio sends the text message and goes on with the next verb",
};
/** Verbs after which the call goes on, for the ones printed but not carried out. */
const GOES_ON = new Set(["Leave", "Start", "Stop", "Sms"]);
const PROMPT_VERBS = new Set(["Say", "Play", "Pause"]);

/**
 * What a verb did to the flow of the call; "last" is a request made after the caller hung up,
 * whose answer Twilio no longer carries out.
 */
type Flow = { next: "verb" } | { next: "fetch" | "last"; fetch: Fetch } | { next: "end"; status: CallStatus };

export async function simulateCall(url: string, options: CallOptions = {}): Promise<SimResult> {
  const session = new Session(options, "voice");
  const call = new Call(session, newParties(options.from, options.to, givenAccount(options.params)), options);
  const status = await call.run({ url, method: options.method ?? "POST", params: call.params("ringing"), purpose: "call" });
  await call.flush();
  const duration = status === "completed" ? Math.ceil(call.seconds) : 0;
  const leftover = call.keypad.unused();
  if (leftover.length > 0) session.warn(`The call ended before these digits were pressed: ${leftover.join(", ")}.`, null);
  if (call.speech.length > 0) session.warn(`The call ended before these were said: ${call.speech.join(" / ")}.`, null);
  if (call.recordings.length > 0) session.warn(`The call ended before ${call.recordings.length} of the scripted recordings.`, null);
  if (options.statusUrl !== undefined) {
    const params = statusCallbackParams(call.parties, call.sid, status, duration, call.now());
    await session.notify({ url: options.statusUrl, method: "POST", params, purpose: "status-callback" });
  }
  return session.finish(status, duration);
}

class Call {
  readonly sid = newSid("CA");
  readonly keypad: Keypad;
  /** Simulated time on the line: speech, pauses and timeouts, so CallDuration is plausible and repeatable. */
  seconds = 0;
  private answered = false;
  /** What the script still holds when the call ends is reported, like unused digits. */
  readonly speech: string[];
  readonly recordings: Utterance[];
  /** Callbacks Twilio sends while the call goes on. */
  private pending: Fetch[] = [];

  constructor(
    private readonly session: Session,
    readonly parties: Parties,
    private readonly options: CallOptions,
  ) {
    this.keypad = options.keypad ?? scriptedKeypad(options.digits ?? []);
    this.speech = [...(options.speech ?? [])];
    this.recordings = [...(options.record ?? [])];
  }

  params(status: CallStatus) {
    return callParams(this.parties, this.sid, status);
  }

  now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  async run(first: Fetch): Promise<CallStatus> {
    let request: Fetch = first;
    for (;;) {
      const fetched = await this.session.fetch(request);
      await this.flush();
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
      if (flow.next === "last") {
        await this.session.fetch(flow.fetch);
        return "completed";
      }
      request = flow.fetch;
    }
  }

  /** Sends the callbacks that came due. */
  async flush(): Promise<void> {
    const due = this.pending;
    this.pending = [];
    for (const callback of due) await this.session.notify(callback);
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
      case "Say": {
        const loop = count(a.loop, 1);
        this.say(textContent(verb), a.voice ?? VOICE_DEFAULT, a.language ?? LANGUAGE_DEFAULT, loop);
        return loop === 0 ? this.endless() : { next: "verb" };
      }
      case "Play": {
        const loop = count(a.loop, 1);
        this.session.emit({ event: "play", url: textContent(verb).trim(), digits: a.digits ?? "", loop });
        return loop === 0 && a.digits === undefined ? this.endless() : { next: "verb" };
      }
      case "Pause": {
        const seconds = count(a.length, 1);
        this.seconds += seconds;
        this.session.emit({ event: "pause", seconds });
        return { next: "verb" };
      }
      case "Gather":
        return this.gather(verb, url);
      case "Dial":
        return this.dial(verb, url);
      case "Record":
        return this.record(verb, url);
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
      default: {
        const next = NOT_CARRIED_OUT[verb.name];
        if (next === undefined) {
          this.session.warn(`<${verb.name}> is not a TwiML voice verb; Twilio skips it.`);
          return { next: "verb" };
        }
        this.session.emit({ event: "not-carried-out", verb: verb.name, detail: describe(verb), next });
        return GOES_ON.has(verb.name) ? { next: "verb" } : { next: "end", status: "completed" };
      }
    }
  }

  /** A Say or Play with loop="0" repeats until the caller hangs up, so nothing after it runs. */
  private endless(): Flow {
    return { next: "end", status: this.hangup("caller", 'loop="0" repeats until the caller hangs up') };
  }

  private async gather(gather: XmlElement, url: string): Promise<Flow> {
    const a = gather.attributes;
    for (const nested of childElements(gather)) {
      if (!PROMPT_VERBS.has(nested.name)) {
        this.session.warn(`<${nested.name}> cannot be nested in <Gather>; Twilio skips it.`);
        continue;
      }
      if (!this.session.step()) return { next: "end", status: "completed" };
      const flow = await this.verb(nested, url);
      if (flow.next === "end") return flow;
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
    const modes = input.split(/\s+/);
    if (modes.includes("speech") && this.speech.length > 0) {
      const text = this.speech.shift() as string;
      this.seconds += speakingSeconds(text);
      this.session.emit({ event: "speech", text, confidence: SPEECH_CONFIDENCE });
      const params = gatherSpeechParams(this.params("in-progress"), text, SPEECH_CONFIDENCE);
      return { next: "fetch", fetch: { url: action, method, params, purpose: "gather" } };
    }
    const entry = modes.includes("dtmf") ? await this.keypad.press(prompt) : "";
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
    const params = gatherDigitsParams(this.params("in-progress"), digits, finishedOnKey);
    return { next: "fetch", fetch: { url: action, method, params, purpose: "gather" } };
  }

  /** <Dial>: the outcome comes from the script; the action, if any, hears how it went. */
  private async dial(dial: XmlElement, url: string): Promise<Flow> {
    const a = dial.attributes;
    if (childElements(dial).some((noun) => noun.name === "Conference")) {
      const next = "the caller stays in the conference until it ends or they hang up; the simulator stops here";
      this.session.emit({ event: "not-carried-out", verb: "Dial", detail: describe(dial), next });
      return { next: "end", status: "completed" };
    }
    const status: DialCallStatus = this.options.dial ?? "completed";
    const seconds = status === "completed" ? DIAL_TALK_SECONDS : status === "no-answer" ? count(a.timeout, 30) : 0;
    this.seconds += seconds;
    this.session.emit({ event: "dial", to: describe(dial, false), status, seconds });
    // Without an action Twilio goes on with the next verb (twilio.com/docs/voice/twiml/dial#action).
    if (a.action === undefined) return { next: "verb" };
    const action = resolveUrl(this.session, a.action, url);
    if (action === null) return { next: "verb" };
    const params = dialParams(this.params("in-progress"), status, newSid("CA"), status === "completed" ? seconds : 0);
    return { next: "fetch", fetch: { url: action, method: methodOf(this.session, dial), params, purpose: "dial" } };
  }

  /**
   * <Record>: the caller speaks for the scripted seconds, then falls silent until the timeout,
   * presses a finish key, or hangs up (Digits=hangup, as recorded Record actions show). An empty
   * recording goes on with the next verb without any request (twilio.com/docs/voice/twiml/record).
   */
  private async record(record: XmlElement, url: string): Promise<Flow> {
    const a = record.attributes;
    const action = resolveUrl(this.session, a.action ?? url, url) ?? url;
    const method = methodOf(this.session, record);
    const maxLength = count(a.maxLength, 3600);
    const timeout = count(a.timeout, 5);
    const finishOnKey = a.finishOnKey ?? "1234567890*#";
    this.session.emit({ event: "record", maxLength, timeout, finishOnKey, method, action });
    const utterance = this.recordings.shift();
    if (utterance === undefined) return { next: "end", status: this.hangup("caller", "no more recordings to speak") };
    const seconds = Math.min(utterance.seconds, maxLength);
    const startedAt = this.now();
    // A key that is not a finish key is ignored, and the silence timeout ends the recording.
    const end = utterance.end === "hangup" || (utterance.end !== undefined && finishOnKey.includes(utterance.end)) ? utterance.end : undefined;
    this.seconds += seconds + (seconds < maxLength && end === undefined ? timeout : 0);
    this.session.emit({ event: "speak", seconds, words: utterance.words ?? "", end: end ?? "" });
    if (end === "hangup") this.hangup("caller", "after the recording");
    const events = (a.recordingStatusCallbackEvent ?? "completed").split(/\s+/);
    const statusUrl = a.recordingStatusCallback === undefined ? null : resolveUrl(this.session, a.recordingStatusCallback, url);
    const statusMethod = methodOf(this.session, record, "recordingStatusCallbackMethod");
    const recording = newRecording(this.parties.accountSid, seconds, startedAt);
    const notify = (status: "in-progress" | "completed" | "absent") => {
      if (statusUrl === null || !events.includes(status)) return;
      const params = recordingStatusParams(this.parties, this.sid, recording, status);
      this.pending.push({ url: statusUrl, method: statusMethod, params, purpose: "recording-status" });
    };
    if (seconds === 0) {
      notify("absent");
      await this.flush();
      return end === "hangup" ? { next: "end", status: "completed" } : { next: "verb" };
    }
    notify("in-progress");
    notify("completed");
    // A transcribeCallback implies transcribe="true"; the transcription arrives after the recording.
    const transcribeUrl = a.transcribeCallback === undefined || a.transcribe === "false" ? null : resolveUrl(this.session, a.transcribeCallback, url);
    if (transcribeUrl !== null) {
      const text = seconds > TRANSCRIBE_MAX_SECONDS ? null : (utterance.words ?? "");
      const params = transcriptionParams(this.params("completed"), recording, text);
      this.pending.push({ url: transcribeUrl, method: "POST", params, purpose: "transcription" });
    }
    const params = recordParams(this.params(end === "hangup" ? "completed" : "in-progress"), recording, end ?? "");
    return { next: end === "hangup" ? "last" : "fetch", fetch: { url: action, method, params, purpose: "record" } };
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

/** A one-line summary of a verb: its target and, unless left out, its attributes. */
function describe(verb: XmlElement, withAttributes = true): string {
  const nouns = childElements(verb).map((noun) => `${noun.name} ${textContent(noun).trim()}`.trim());
  const target = nouns.length > 0 ? nouns.join(", ") : textContent(verb).trim();
  const attributes = withAttributes ? Object.entries(verb.attributes).map(([name, value]) => `${name}="${value}"`) : [];
  return [target, ...attributes].filter((part) => part !== "").join(" ");
}
