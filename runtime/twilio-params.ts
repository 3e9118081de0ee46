// Typed webhook parameters, with the names Twilio documents. Every value arrives as text;
// optional ones are absent when Twilio has nothing to say.

/** Where Twilio locates both ends, when it can (for Japanese numbers, often only the country). */
export interface Geography {
  FromCity?: string;
  FromState?: string;
  FromZip?: string;
  FromCountry?: string;
  ToCity?: string;
  ToState?: string;
  ToZip?: string;
  ToCountry?: string;
}

/** Sent with every voice webhook. */
export interface CallParams extends Geography {
  CallSid: string;
  AccountSid: string;
  From: string;
  To: string;
  CallStatus: "queued" | "ringing" | "in-progress" | "completed" | "busy" | "failed" | "no-answer" | "canceled";
  ApiVersion: string;
  Direction: "inbound" | "outbound-api" | "outbound-dial";
  ForwardedFrom?: string;
  CallerName?: string;
  ParentCallSid?: string;
  CallToken?: string;
  Caller?: string;
  Called?: string;
  CallerCity?: string;
  CallerState?: string;
  CallerZip?: string;
  CallerCountry?: string;
  CalledCity?: string;
  CalledState?: string;
  CalledZip?: string;
  CalledCountry?: string;
}

/** An incoming call, or the action of a <Gather> (which adds Digits or SpeechResult). */
export interface IncomingCall extends CallParams {
  /** Keys the caller pressed in a <Gather>. */
  Digits?: string;
  /** Words the caller said in a <Gather input="speech">. */
  SpeechResult?: string;
  Confidence?: string;
  /** Why a <Gather> ended: e.g. "finishOnKey" or "timeout". */
  FinishedOnKey?: string;
}

/** The call status callback (StatusCallback URL). */
export interface CallStatusCallback extends CallParams {
  /** Seconds the call lasted, on "completed". */
  CallDuration?: string;
  Timestamp?: string;
  CallbackSource?: string;
  SequenceNumber?: string;
  SipResponseCode?: string;
}

/** An incoming SMS or MMS. MediaUrl0…, MediaContentType0… come with NumMedia > 0. */
export interface IncomingMessage extends Geography {
  MessageSid: string;
  SmsSid?: string;
  SmsMessageSid?: string;
  AccountSid: string;
  MessagingServiceSid?: string;
  From: string;
  To: string;
  Body: string;
  NumMedia: string;
  NumSegments?: string;
  SmsStatus?: string;
  ApiVersion?: string;
  [media: `MediaUrl${number}` | `MediaContentType${number}`]: string | undefined;
}

/** What the fallback URL receives: the original request's parameters plus the error. */
export type FallbackParams = (Partial<IncomingCall> | Partial<IncomingMessage>) & {
  ErrorCode?: string;
  ErrorUrl?: string;
};
