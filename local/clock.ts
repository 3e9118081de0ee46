// Time as the emulator reads it. Real by default; tests pass a clock they move by hand, so a
// timeout or a wait happens exactly when the test says and never because the machine was slow.

export interface Clock {
  /** Milliseconds, as Date.now() counts them. */
  now(): number;
  /** Calls `fire` once `ms` have passed; the returned function cancels it. */
  after(ms: number, fire: () => void): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  after: (ms, fire) => {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};
