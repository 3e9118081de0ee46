// Time as the emulator reads it. Real by default; tests and the reliability suites pass a
// ManualClock, so a timeout or a wait happens exactly when they say and never because the machine
// was slow.

export interface Clock {
  /** Calls `fire` once `ms` have passed; the returned function cancels it. */
  after(ms: number, fire: () => void): () => void;
}

export const realClock: Clock = {
  after: (ms, fire) => {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};

interface Timer {
  at: number;
  fire: () => void;
}

/** A clock moved by hand: timers fire only in advance(). */
export class ManualClock implements Clock {
  private time = 0;
  private readonly timers = new Set<Timer>();
  private readonly watchers = new Set<() => void>();

  after(ms: number, fire: () => void): () => void {
    const timer = { at: this.time + ms, fire };
    this.timers.add(timer);
    for (const watcher of this.watchers) watcher();
    return () => this.timers.delete(timer);
  }

  /** Resolves once a timer `ms` ahead is pending: the code under test has started that wait. */
  scheduled(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.pending().includes(ms)) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
      check();
    });
  }

  /** How far ahead each pending timer is, soonest first. */
  pending(): number[] {
    return [...this.timers].map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  /** Moves time on by `ms`, firing every timer that falls due, in order (timers they set included). */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers.delete(due);
      this.time = due.at;
      due.fire();
    }
    this.time = until;
  }
}
