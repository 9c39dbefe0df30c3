import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/errors.js';
import { KeyedRateLimiter } from '../../src/observability/rate-limiter.js';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('KeyedRateLimiter', () => {
  it('allows a burst of the limit, then refuses with the time until the next token', () => {
    const clock = fakeClock();
    const limiter = new KeyedRateLimiter({ limit: 3, windowMs: 60_000, now: clock.now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].every((decision) => decision.allowed)).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 20_000 });
  });

  it('keeps keys apart', () => {
    const clock = fakeClock();
    const limiter = new KeyedRateLimiter({ limit: 1, now: clock.now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('refills over the window: one token after a third of it, the whole burst after all of it', () => {
    const clock = fakeClock();
    const limiter = new KeyedRateLimiter({ limit: 3, windowMs: 60_000, now: clock.now });
    for (let i = 0; i < 3; i += 1) limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    clock.advance(20_000);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    clock.advance(60_000);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].every((decision) => decision.allowed)).toBe(true);
  });

  it('forgets keys that stayed idle for a whole window', () => {
    const clock = fakeClock();
    const limiter = new KeyedRateLimiter({ limit: 5, windowMs: 1_000, now: clock.now });
    for (let i = 0; i < 100; i += 1) limiter.take(`ip-${i}`);
    expect(limiter.size).toBe(100);
    clock.advance(1_500);
    limiter.take('fresh');
    expect(limiter.size).toBe(1);
  });

  it('never remembers more than maxKeys, dropping the least recently seen', () => {
    const clock = fakeClock();
    const limiter = new KeyedRateLimiter({ limit: 1, maxKeys: 2, now: clock.now });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a');
    limiter.take('c');
    expect(limiter.size).toBe(2);
    // `b` was the least recently seen, so it starts afresh; `a` is still limited.
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new KeyedRateLimiter({ limit: 0 })).toThrow(ParleyError);
    expect(() => new KeyedRateLimiter({ limit: 1.5 })).toThrow(ParleyError);
  });
});
