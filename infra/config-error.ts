// A mistake in the stage configuration or the build it points at: main.ts prints its one
// sentence and exits, where any other error keeps its stack trace.
export class ConfigError extends Error {
  override name = "ConfigError";
}
