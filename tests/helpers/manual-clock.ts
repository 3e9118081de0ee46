// A clock the test moves by hand: timers fire only in advance(), so a timeout or a wait happens
// exactly when the test says, however slow the machine is.
import type { Clock } from "../../local/clock";

interface Timer {
  at: number;
  fire: () => void;
}

export class ManualClock implements Clock {
  private time = 0;
  private readonly timers = new Set<Timer>();

  now(): number {
    return this.time;
  }

  after(ms: number, fire: () => void): () => void {
    const timer = { at: this.time + ms, fire };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
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
