// What happened on the simulated line, as events: the library returns them, the CLI prints them
// either as a transcript for people or as JSON lines for CI.
import type { DialCallStatus } from "../../runtime/twilio-params";
import type { TwilioErrorCode } from "./errors";
import type { Method } from "./http";

/** Why a request was made. */
export type Purpose =
  | "call" | "gather" | "dial" | "record" | "redirect" | "fallback"
  | "status-callback" | "recording-status" | "transcription" | "message" | "message-action";

export type SimEvent =
  | { event: "request"; purpose: Purpose; method: Method; url: string; status: number | null; contentType: string; ms: number }
  | { event: "say"; text: string; voice: string; language: string; loop: number }
  | { event: "play"; url: string; digits: string; loop: number }
  | { event: "pause"; seconds: number }
  | { event: "gather"; numDigits: number | null; finishOnKey: string; timeout: number; input: string; method: Method; action: string }
  | { event: "keys"; digits: string; finishedOnKey: string }
  | { event: "silence"; seconds: number }
  | { event: "speech"; text: string; confidence: string }
  | { event: "dial"; to: string; status: DialCallStatus; seconds: number }
  | { event: "record"; maxLength: number; timeout: number; finishOnKey: string; method: Method; action: string }
  | { event: "speak"; seconds: number; words: string; end: string }
  | { event: "redirect"; method: Method; url: string }
  | { event: "not-carried-out"; verb: string; detail: string; next: string }
  | { event: "message"; from: string; to: string; body: string; media: string[] }
  | { event: "hangup"; by: "twilio" | "caller"; reason: string }
  | { event: "reject"; reason: string }
  | { event: "warning"; code: TwilioErrorCode | null; message: string }
  | { event: "error"; code: TwilioErrorCode; title: string; message: string }
  | { event: "loop"; steps: number; message: string }
  | { event: "end"; status: string; duration: number | null; failed: boolean };

export function toJsonLine(e: SimEvent): string {
  return JSON.stringify(e);
}

const times = (loop: number) => (loop === 1 ? "" : loop === 0 ? " (repeated until the call ends)" : ` (×${loop})`);

export function toText(e: SimEvent): string {
  switch (e.event) {
    case "request": {
      const answer = e.status === null ? "no answer" : `${e.status}${e.contentType ? " " + e.contentType : ""}`;
      return `${e.purpose === "call" || e.purpose === "message" ? "" : `[${e.purpose}] `}${e.method} ${e.url} → ${answer} (${e.ms} ms)`;
    }
    case "say":
      return `  Twilio says [${e.voice}, ${e.language}]: ${e.text}${times(e.loop)}`;
    case "play":
      return e.digits ? `  Twilio plays the tones ${e.digits}` : `  Twilio plays ${e.url}${times(e.loop)}`;
    case "pause":
      return `  Twilio pauses ${e.seconds} s`;
    case "gather": {
      if (!e.input.split(/\s+/).includes("dtmf")) return `  Twilio listens for speech, ${e.timeout} s timeout → ${e.method} ${e.action}`;
      const keys = e.numDigits === null ? "keys" : `up to ${e.numDigits} key${e.numDigits === 1 ? "" : "s"}`;
      const finish = e.finishOnKey ? `, ${e.finishOnKey} ends` : "";
      return `  Twilio waits for ${keys}${finish}, ${e.timeout} s timeout, input ${e.input} → ${e.method} ${e.action}`;
    }
    case "keys":
      return `  Caller presses ${e.digits}${e.finishedOnKey}`;
    case "silence":
      return `  Caller presses nothing (${e.seconds} s timeout)`;
    case "speech":
      return `  Caller says: ${e.text} (confidence ${e.confidence})`;
    case "dial": {
      const how = e.status === "completed" ? `answers, talks ${e.seconds} s and hangs up` : e.status === "no-answer" ? `does not answer (${e.seconds} s)` : e.status;
      return `  Twilio dials ${e.to}: ${how}`;
    }
    case "record":
      return `  Twilio records (beep), up to ${e.maxLength} s, ${e.timeout} s of silence or ${e.finishOnKey || "no key"} ends → ${e.method} ${e.action}`;
    case "speak":
      if (e.seconds === 0) return "  Caller says nothing: the recording is empty";
      return `  Caller speaks ${e.seconds} s${e.words ? `: ${e.words}` : ""}${e.end === "hangup" ? ", then hangs up" : e.end ? `, then presses ${e.end}` : ""}`;
    case "redirect":
      return `  Twilio redirects → ${e.method} ${e.url}`;
    case "not-carried-out":
      return `  <${e.verb}> ${e.detail} (printed, not carried out${e.next ? `; ${e.next}` : ""})`;
    case "message":
      return [`  Reply to ${e.to} from ${e.from}: ${e.body}`, ...e.media.map((url) => `    media: ${url}`)].join("\n");
    case "hangup":
      return e.by === "caller" ? `  Caller hangs up (${e.reason})` : `  Twilio hangs up (${e.reason})`;
    case "reject":
      return `  Twilio rejects the call (${e.reason})`;
    case "warning":
      return `  warning${e.code === null ? "" : ` ${e.code}`}: ${e.message}`;
    case "error":
      return `  error ${e.code} ${e.title}: ${e.message}`;
    case "loop":
      return `  stopped: ${e.message}`;
    case "end":
      return `${e.failed ? "Ended on an error" : "Done"}: ${e.status}${e.duration === null ? "" : `, ${e.duration} s`}.`;
  }
}
