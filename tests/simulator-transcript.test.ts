import { suite } from "uvu";
import * as assert from "uvu/assert";
import { toJsonLine, toText, type SimEvent } from "../local/simulator/transcript";

const EVENTS: Array<[SimEvent, string]> = [
  [{ event: "request", purpose: "call", method: "POST", url: "http://h/dev/voice/menu", status: 200, contentType: "application/xml", ms: 12 }, "POST http://h/dev/voice/menu → 200 application/xml (12 ms)"],
  [{ event: "request", purpose: "gather", method: "GET", url: "http://h/next", status: null, contentType: "", ms: 15001 }, "[gather] GET http://h/next → no answer (15001 ms)"],
  [{ event: "say", text: "こんにちは", voice: "Polly.Kazuha-Neural", language: "ja-JP", loop: 1 }, "  Twilio says [Polly.Kazuha-Neural, ja-JP]: こんにちは"],
  [{ event: "say", text: "hi", voice: "man", language: "en-US", loop: 3 }, "  Twilio says [man, en-US]: hi (×3)"],
  [{ event: "play", url: "https://e.com/a.mp3", digits: "", loop: 0 }, "  Twilio plays https://e.com/a.mp3 (repeated until the call ends)"],
  [{ event: "play", url: "", digits: "ww1", loop: 1 }, "  Twilio plays the tones ww1"],
  [{ event: "pause", seconds: 2 }, "  Twilio pauses 2 s"],
  [{ event: "gather", numDigits: 1, finishOnKey: "#", timeout: 5, input: "dtmf", method: "POST", action: "http://h/menu" }, "  Twilio waits for up to 1 key, # ends, 5 s timeout, input dtmf → POST http://h/menu"],
  [{ event: "gather", numDigits: null, finishOnKey: "", timeout: 3, input: "dtmf speech", method: "GET", action: "http://h/x" }, "  Twilio waits for keys, 3 s timeout, input dtmf speech → GET http://h/x"],
  [{ event: "gather", numDigits: null, finishOnKey: "#", timeout: 5, input: "speech", method: "POST", action: "http://h/x" }, "  Twilio listens for speech, 5 s timeout → POST http://h/x"],
  [{ event: "keys", digits: "12", finishedOnKey: "#" }, "  Caller presses 12#"],
  [{ event: "silence", seconds: 5 }, "  Caller presses nothing (5 s timeout)"],
  [{ event: "redirect", method: "POST", url: "http://h/menu?retry=1" }, "  Twilio redirects → POST http://h/menu?retry=1"],
  [{ event: "not-carried-out", verb: "Enqueue", detail: "support", next: "the caller waits in the queue" }, "  <Enqueue> support (printed, not carried out; the caller waits in the queue)"],
  [{ event: "speech", text: "予約したいです", confidence: "0.9" }, "  Caller says: 予約したいです (confidence 0.9)"],
  [{ event: "dial", to: "Number +81355550100", status: "completed", seconds: 30 }, "  Twilio dials Number +81355550100: answers, talks 30 s and hangs up"],
  [{ event: "dial", to: "+81355550100", status: "no-answer", seconds: 20 }, "  Twilio dials +81355550100: does not answer (20 s)"],
  [{ event: "dial", to: "+81355550100", status: "busy", seconds: 0 }, "  Twilio dials +81355550100: busy"],
  [{ event: "record", maxLength: 30, timeout: 5, finishOnKey: "#", method: "POST", action: "http://h/vm" }, "  Twilio records (beep), up to 30 s, 5 s of silence or # ends → POST http://h/vm"],
  [{ event: "speak", seconds: 5, words: "折り返しお願いします", end: "" }, "  Caller speaks 5 s: 折り返しお願いします"],
  [{ event: "speak", seconds: 5, words: "", end: "hangup" }, "  Caller speaks 5 s, then hangs up"],
  [{ event: "speak", seconds: 8, words: "以上です", end: "#" }, "  Caller speaks 8 s: 以上です, then presses #"],
  [{ event: "speak", seconds: 0, words: "", end: "" }, "  Caller says nothing: the recording is empty"],
  [{ event: "message", from: "+815012345678", to: "+819012345678", body: "了解 👍", media: ["https://e.com/1.jpg"] }, "  Reply to +819012345678 from +815012345678: 了解 👍\n    media: https://e.com/1.jpg"],
  [{ event: "hangup", by: "caller", reason: "no more digits to press" }, "  Caller hangs up (no more digits to press)"],
  [{ event: "hangup", by: "twilio", reason: "<Hangup>" }, "  Twilio hangs up (<Hangup>)"],
  [{ event: "reject", reason: "busy" }, "  Twilio rejects the call (busy)"],
  [{ event: "warning", code: 12200, message: "<Dance> is not a TwiML voice verb; Twilio skips it." }, "  warning 12200: <Dance> is not a TwiML voice verb; Twilio skips it."],
  [{ event: "warning", code: null, message: "Speech input is not simulated; only keys are." }, "  warning: Speech input is not simulated; only keys are."],
  [{ event: "error", code: 12300, title: "Invalid Content-Type", message: "x answered with Content-Type application/json, which Twilio cannot use here." }, "  error 12300 Invalid Content-Type: x answered with Content-Type application/json, which Twilio cannot use here."],
  [{ event: "loop", steps: 100, message: "the step limit of 100 verbs was reached" }, "  stopped: the step limit of 100 verbs was reached"],
  [{ event: "end", status: "completed", duration: 14, failed: false }, "Done: completed, 14 s."],
  [{ event: "end", status: "no reply", duration: null, failed: true }, "Ended on an error: no reply."],
];

const text = suite("toText: one readable line per event");

text("says who does what, with voice, language, URL, status and time", () => {
  for (const [event, line] of EVENTS) assert.is(toText(event), line, `the ${event.event} event reads well`);
});

text.run();

const json = suite("toJsonLine: the same events for CI");

json("each event is one line of JSON that parses back to the event", () => {
  for (const [event] of EVENTS) {
    const line = toJsonLine(event);
    assert.not.match(line, /\n/, "one line per event");
    assert.equal(JSON.parse(line), event);
  }
});

json.run();
