// A stream that keeps what was written and tells a test when a line it waits for arrives, so
// asynchronous output (a worker's console, a server's log) is awaited, never slept for.
import { Writable } from "node:stream";

interface Wait {
  pattern: RegExp;
  from: number;
  found: () => void;
}

export class CapturedOutput extends Writable {
  text = "";
  private readonly waits = new Set<Wait>();

  constructor() {
    super({
      write: (chunk: Buffer, _encoding, done) => {
        this.text += chunk.toString("utf8");
        for (const wait of this.waits) this.check(wait);
        done();
      },
    });
  }

  /** Resolves once text matching `pattern` has been written at or after offset `from` (default: anywhere). */
  waitFor(pattern: RegExp, from = 0): Promise<void> {
    return new Promise((found) => this.check({ pattern, from, found }, true));
  }

  private check(wait: Wait, first = false): void {
    if (wait.pattern.test(this.text.slice(wait.from))) {
      this.waits.delete(wait);
      wait.found();
    } else if (first) this.waits.add(wait);
  }
}
