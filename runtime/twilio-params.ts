// Typed webhook parameters, with the names and values Twilio documents (twilio.com/docs/voice/twiml/*,
// /docs/voice/api/call-resource, /docs/messaging/guides/webhook-request). Every value arrives as
// text; optional ones are absent when Twilio has nothing to say. The call simulator builds its
// requests from these same types, so a handler typed with them is tested with what they say.

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

export type CallStatus = "queued" | "ringing" | "in-progress" | "completed" | "busy" | "failed" | "no-answer" | "canceled";

/** Sent with every voice webhook. */
export interface CallParams extends Geography {
  CallSid: string;
  AccountSid: string;
  From: string;
  To: string;
  CallStatus: CallStatus;
  ApiVersion: string;
  Direction: "inbound" | "outbound-api" | "outbound-dial";
  /** The number that forwarded the call, where the carrier says so. */
  ForwardedFrom?: string;
  /** Caller ID name (CNAM), when the number has Caller Name Lookup enabled. */
  CallerName?: string;
  ParentCallSid?: string;
  /** A token to forward this call with the original caller's identity (inbound PSTN calls). */
  CallToken?: string;
  /** SHAKEN/STIR verification of the caller's number, e.g. "TN-Validation-Passed-A". */
  StirVerstat?: string;
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

/** The action of a <Gather>: the keys pressed, or what the caller said. */
export interface GatherAction extends CallParams {
  /** Keys pressed, without the finish key; "" with actionOnEmptyResult and no input. */
  Digits?: string;
  /** The finish key that ended the input, or "" when numDigits or the timeout did. */
  FinishedOnKey?: string;
  /** Words recognised in a <Gather input="speech">. */
  SpeechResult?: string;
  /** Recognition confidence between 0.0 and 1.0, with SpeechResult. */
  Confidence?: string;
  /** Always "Gather End" on the action request. */
  msg?: "Gather End";
}

/** An incoming call, or the action of a <Gather> on the same route. */
export type IncomingCall = GatherAction;

/** What happened to the call a <Dial> placed. */
export type DialCallStatus = "completed" | "answered" | "busy" | "no-answer" | "failed" | "canceled";

/** The action of a <Dial>, requested when the dialed call ends. */
export interface DialAction extends CallParams {
  DialCallStatus: DialCallStatus;
  /** The dialed call's SID; not sent after dialing a <Conference>. */
  DialCallSid?: string;
  /** Seconds the dialed call lasted; not sent after dialing a <Conference>. */
  DialCallDuration?: string;
  /** Whether the caller was connected to the dialed party. */
  DialBridged?: "true" | "false";
  /** With record="record-from-answer" and the like. */
  RecordingUrl?: string;
}

/** The action of a <Record> (or the document's own URL when it has none). */
export interface RecordAction extends CallParams {
  RecordingUrl: string;
  RecordingSid: string;
  /** Whole seconds of audio. */
  RecordingDuration: string;
  /** The key that ended the recording, "hangup" when the caller hung up, or "" after the silence timeout. */
  Digits: string;
}

/** A <Record>'s recordingStatusCallback. */
export interface RecordingStatusCallback {
  AccountSid: string;
  CallSid: string;
  RecordingSid: string;
  RecordingUrl: string;
  RecordingStatus: "in-progress" | "completed" | "absent" | "failed";
  RecordingDuration: string;
  RecordingChannels: string;
  /** RFC 2822, e.g. "Mon, 30 Nov 2026 10:15:00 +0000". */
  RecordingStartTime: string;
  RecordingSource: "RecordVerb" | "DialVerb" | "Conference" | "OutboundAPI" | "Trunking" | "StartCallRecordingAPI" | "StartConferenceRecordingAPI";
  RecordingTrack?: "inbound" | "outbound" | "both";
  ErrorCode?: string;
}

/** A <Record transcribe="true">'s transcribeCallback. */
export interface TranscriptionCallback extends CallParams {
  TranscriptionSid: string;
  TranscriptionText?: string;
  TranscriptionStatus: "completed" | "failed";
  TranscriptionUrl: string;
  RecordingSid: string;
  RecordingUrl: string;
}

/** The call status callback (StatusCallback URL). */
export interface CallStatusCallback extends CallParams {
  /** Seconds the call lasted, on "completed" (0 for a call never answered). */
  CallDuration?: string;
  /** Billed minutes: CallDuration rounded up to whole minutes. */
  Duration?: string;
  /** The SIP answer that ended the call: 200, 486 busy, 487 unanswered and cancelled. */
  SipResponseCode?: string;
  Timestamp?: string;
  CallbackSource?: "call-progress-events";
  SequenceNumber?: string;
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
  /** Media in the ad a Click-to-WhatsApp message came from; "0" on an ordinary SMS. */
  ReferralNumMedia?: string;
  /** "STOP", "START" or "HELP" when the body is an opt-out keyword Twilio handles. */
  OptOutType?: "STOP" | "START" | "HELP";
  [media: `MediaUrl${number}` | `MediaContentType${number}`]: string | undefined;
}

export type MessageStatus =
  | "accepted" | "scheduled" | "queued" | "sending" | "sent" | "failed" | "delivered" | "undelivered"
  | "receiving" | "received" | "read" | "canceled";

/** A message's statusCallback, and the action of a <Message>. */
export interface MessageStatusCallback {
  MessageSid: string;
  MessageStatus: MessageStatus;
  AccountSid: string;
  From: string;
  To: string;
  ApiVersion?: string;
  SmsSid?: string;
  SmsStatus?: string;
  MessagingServiceSid?: string;
  ErrorCode?: string;
}

/** What the fallback URL receives: the original request's parameters plus the error. */
export type FallbackParams = (Partial<IncomingCall> | Partial<IncomingMessage>) & {
  ErrorCode?: string;
  ErrorUrl?: string;
};
