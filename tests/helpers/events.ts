// The runtime's dependencies for tests: a logger that keeps its lines and a ticking clock. The
// requests themselves come from testkit/.
import { SAMPLE_TOKEN } from "../../testkit";
import { jsonLogger, type Logger } from "../../runtime/log";
import type { RuntimeDeps } from "../../runtime/webhook";
import type { Settings } from "../../runtime/settings";

/** A logger that keeps its lines, parsed, for assertions. */
export function recordingLogger(): Logger & { lines: Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const logger = jsonLogger((line) => raw.push(line));
  return {
    ...logger,
    raw,
    get lines() {
      return raw.map((l) => JSON.parse(l));
    },
  };
}

export function testDeps(settings: Partial<Settings> = {}, tokens: string[] = [SAMPLE_TOKEN], secrets: Record<string, string> = {}) {
  const log = recordingLogger();
  let tick = 0;
  const deps: RuntimeDeps = {
    settings: { stage: "dev", route: "voice/hello", debug: false, verifySignature: true, appSettings: {}, secretParameters: {}, ...settings },
    tokens: async () => tokens,
    secrets: async () => secrets,
    log,
    now: () => (tick += 5),
  };
  return { deps, log };
}
