/**
 * A token bucket: `perSecond` tokens flow in, at most `burst` are kept. Time is passed in, so it is pure
 * and testable; one token = one message to the destination.
 */
export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #at: number;

  constructor(perSecond: number, burst: number, now: number) {
    this.#perMs = perSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#at = now;
  }

  available(now: number): number {
    this.#refill(now);
    return Math.floor(this.#tokens);
  }

  take(n: number, now: number): void {
    this.#refill(now);
    this.#tokens -= n;
  }

  /** When the next whole token will be there. */
  nextTokenAt(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? now : now + Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs);
      this.#at = now;
    }
  }
}
