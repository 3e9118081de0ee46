// The stages this project deploys and what each states; every other setting takes the default
// of infra/stage-config.ts. Edit here to point a stage at a custom domain, remote state and so on.
import type { CiSettings } from "./ci-stack";
import type { StageName } from "./names";
import type { StageSettings } from "./stage-config";

export const STAGES: Record<StageName, StageSettings> = {
  dev: {
    logRetentionDays: 14,
  },
  prod: {
    debug: false,
    logRetentionDays: 90,
    throttle: { rateLimit: 50, burstLimit: 100 },
  },
};

/** Name the GitHub repository here ("owner/name") to synthesize the denwa-ci stack: `make ci-role`. */
export const CI: CiSettings = {};
