// The person on the other end of a simulated call, scripted: the keys pressed for each <Gather>,
// the words said to a speech <Gather>, how long they speak into each <Record>, and how each
// <Dial> ends. What the script does not say, the caller does not do: no more keys or recordings
// means the caller hangs up, no more speech means silence.
import type { DialCallStatus } from "../../runtime/twilio-params";

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

/** What the caller says into one <Record>: seconds of speech (0 = nothing), optionally the words, and how it ends. */
export interface Utterance {
  seconds: number;
  words?: string;
  /** "hangup", a key (# or *), or absent: the caller falls silent and the timeout ends the recording. */
  end?: "hangup" | "#" | "*";
}

/** The outcomes --dial accepts, as Twilio reports them in DialCallStatus (twilio.com/docs/voice/twiml/dial#dialcallstatus-values). */
export const DIAL_OUTCOMES: readonly DialCallStatus[] = ["completed", "busy", "no-answer", "failed", "canceled"];

/** How the caller behaves besides the keypad; each list is used up in order. */
export interface CallerScript {
  /** One entry per speech <Gather>, e.g. from --speech "予約したい". */
  speech?: string[];
  /** One entry per <Record>, e.g. from --record 5. */
  record?: Utterance[];
  /** How every <Dial> ends: "completed" (answered, then the other party hangs up) by default. */
  dial?: DialCallStatus;
}

/** "5", "5#", "5 hangup", "5 hangup:折り返しお願いします" → seconds of speech, how it ends, the words a transcription would find. */
export function parseUtterance(text: string): Utterance | null {
  const match = /^\s*([0-9]+)\s*(hangup|#|\*)?\s*(?::(.*))?$/s.exec(text);
  if (match === null) return null;
  const utterance: Utterance = { seconds: Number(match[1]) };
  if (match[2] !== undefined) utterance.end = match[2] as Utterance["end"];
  if (match[3] !== undefined) utterance.words = match[3].trim();
  return utterance;
}
