import { suite } from "uvu";
import * as assert from "uvu/assert";
import { callParams, messageParams, newParties, newSid, segmentCount, statusCallbackParams } from "../local/simulator/params";

const sids = suite("newSid: Twilio's shapes");

sids("two letters and 32 lowercase hex digits, fresh each time", () => {
  for (const prefix of ["CA", "AC", "SM", "MM"] as const) assert.match(newSid(prefix), new RegExp(`^${prefix}[0-9a-f]{32}$`));
  assert.is.not(newSid("CA"), newSid("CA"));
});

sids.run();

const call = suite("callParams and statusCallbackParams: an inbound call");

call("carries every parameter Twilio sends for an inbound call, Japanese numbers by default", () => {
  const parties = newParties();
  const params = callParams(parties, "CA0123456789abcdef0123456789abcdef", "ringing");
  assert.equal(params, {
    AccountSid: parties.accountSid,
    ApiVersion: "2010-04-01",
    CallSid: "CA0123456789abcdef0123456789abcdef",
    CallStatus: "ringing",
    Called: "+815012345678",
    CalledCity: "",
    CalledState: "",
    CalledZip: "",
    CalledCountry: "JP",
    Caller: "+819012345678",
    CallerCity: "",
    CallerState: "",
    CallerZip: "",
    CallerCountry: "JP",
    Direction: "inbound",
    From: "+819012345678",
    FromCity: "",
    FromState: "",
    FromZip: "",
    FromCountry: "JP",
    To: "+815012345678",
    ToCity: "",
    ToState: "",
    ToZip: "",
    ToCountry: "JP",
    CallToken: parties.callToken,
  });
  assert.match(parties.accountSid, /^AC[0-9a-f]{32}$/);
  assert.match(parties.callToken, /^[A-Za-z0-9_-]{32}$/, "an opaque token, fresh per call");
});

call("the country follows the number's calling code", () => {
  const params = callParams(newParties("+14155550100", "+85223456789"), "CA0", "ringing");
  assert.is(params.FromCountry, "US");
  assert.is(params.ToCountry, "HK");
});

call("the status callback adds duration, source, sequence and an RFC 2822 timestamp", () => {
  const params = statusCallbackParams(newParties(), "CA1", "completed", 42, new Date(Date.UTC(2026, 0, 5, 9, 3, 7)));
  assert.is(params.CallStatus, "completed");
  assert.is(params.CallDuration, "42");
  assert.is(params.CallbackSource, "call-progress-events");
  assert.is(params.SequenceNumber, "0");
  assert.is(params.Timestamp, "Mon, 05 Jan 2026 09:03:07 +0000");
  assert.is(params.Duration, "1", "billed minutes, rounded up");
  assert.is(params.SipResponseCode, "200");
});

call("an unanswered call's status callback: no duration, the SIP code of a recorded busy callback (486)", () => {
  const busy = statusCallbackParams(newParties(), "CA1", "busy", 0, new Date(0));
  assert.equal([busy.CallStatus, busy.CallDuration, busy.Duration, busy.SipResponseCode], ["busy", "0", "0", "486"]);
  assert.is(statusCallbackParams(newParties(), "CA1", "failed", 0, new Date(0)).SipResponseCode, undefined, "no code where none is recorded");
});

call.run();

const message = suite("messageParams: an incoming SMS or MMS");

message("an SMS has one SID under three names and no media", () => {
  const params = messageParams(newParties(), "hello", []);
  assert.match(params.MessageSid, /^SM[0-9a-f]{32}$/);
  assert.is(params.SmsSid, params.MessageSid);
  assert.is(params.SmsMessageSid, params.MessageSid);
  assert.is(params.NumMedia, "0");
  assert.is(params.Body, "hello");
  assert.is(params.SmsStatus, "received");
  assert.is(params.ApiVersion, "2010-04-01");
  assert.is(params.ReferralNumMedia, "0", "recorded SMS webhooks carry ReferralNumMedia=0");
  assert.is(params.MediaUrl0, undefined);
});

message("an MMS numbers its media and guesses each content type from the extension", () => {
  const params = messageParams(newParties(), "", ["https://e.com/a.JPG?x=1", "https://e.com/clip.mp4", "https://e.com/blob"]);
  assert.match(params.MessageSid, /^MM[0-9a-f]{32}$/);
  assert.is(params.NumMedia, "3");
  assert.equal(
    [params.MediaUrl0, params.MediaContentType0, params.MediaContentType1, params.MediaContentType2],
    ["https://e.com/a.JPG?x=1", "image/jpeg", "video/mp4", "application/octet-stream"],
  );
});

// Values as TwilioDevEd's sms-segments-calculator (github.com/TwilioDevEd/message-segment-calculator) computes them.
message("segments: 160/153 GSM-7 characters, 70/67 UTF-16 units otherwise", () => {
  assert.is(segmentCount(""), 1);
  assert.is(segmentCount("a".repeat(160)), 1);
  assert.is(segmentCount("a".repeat(161)), 2);
  assert.is(segmentCount("€".repeat(80)), 1, "an extension character takes two septets");
  assert.is(segmentCount("€".repeat(81)), 2);
  assert.is(segmentCount("あ".repeat(70)), 1);
  assert.is(segmentCount("あ".repeat(71)), 2);
  assert.is(segmentCount("😀".repeat(35)), 1, "an emoji is two UTF-16 units");
  assert.is(segmentCount("😀".repeat(36)), 2);
  const family = "あ".repeat(66) + "👨‍👩‍👧" + "あ".repeat(60);
  assert.is(segmentCount(family), 3, "134 UTF-16 units, but the 8-unit emoji cannot be split, so it starts the second segment");
  assert.is(messageParams(newParties(), "あ".repeat(71), []).NumSegments, "2", "the webhook carries the count");
});

message.run();
