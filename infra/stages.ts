// The stages this project deploys and what each states; every other setting takes the default
// of infra/stage-config.ts. Edit here to point a stage at a custom domain, remote state and so on.
import type { CiSettings } from "./ci-stack";
import type { StageName } from "./names";
import type { StageSettings } from "./stage-config";

/**
 * The settings of the call-forwarding starter: voice/forward dials FORWARD_TO ("" sends every
 * call straight to voicemail), voice/voicemail records a message, recording/notify tells
 * NOTIFY_TO by SMS ("" only logs it). To send the SMS, set NOTIFY_TO, NOTIFY_FROM (a number of
 * your account) and TWILIO_API_KEY (SK…), add `secrets: ["TWILIO_API_SECRET"]`, and store it with
 * `make secret NAME=TWILIO_API_SECRET`. Stage-wide, so removing the starter's files needs no edit here.
 */
const FORWARDING = { FORWARD_TO: "", NOTIFY_TO: "", NOTIFY_FROM: "", TWILIO_API_KEY: "", TWILIO_API_URL: "https://api.twilio.com" };

export const STAGES: Record<StageName, StageSettings> = {
  dev: {
    logRetentionDays: 14,
    settings: FORWARDING,
  },
  prod: {
    debug: false,
    logRetentionDays: 90,
    throttle: { rateLimit: 50, burstLimit: 100 },
    settings: FORWARDING,
  },
};

/** Name the GitHub repository here ("owner/name") to synthesize the denwa-ci stack: `make ci-role`. */
export const CI: CiSettings = {};
