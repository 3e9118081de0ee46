// The call simulator as a library, for flow tests: walk a call or send a message the way Twilio
// would, and get back everything that happened as data.
export { simulateCall, DIAL_TALK_SECONDS, SPEECH_CONFIDENCE, type CallOptions } from "./call";
export { scriptedKeypad, type CallerScript, type GatherPrompt, type Keypad, type Utterance } from "./caller";
export { simulateSms, type SmsOptions } from "./sms";
export type { SessionOptions, SimResult } from "./session";
export { toJsonLine, toText, type Purpose, type SimEvent } from "./transcript";
