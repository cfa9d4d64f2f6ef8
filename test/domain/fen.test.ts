import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, formatFen, isFen, yuan } from '../../domain/money/fen.js';

describe('formatFen: amounts in messages', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [99, '0.99'],
    [100, '1.00'],
    [123_456, '1,234.56'],
    [1_234_567, '12,345.67'],
    [1_388_889, '13,888.89'],
    [50_000_000, '500,000.00'],
    [50_000_001, '500,000.01'],
    [100_000_000_000, '1,000,000,000.00'],
  ])('%i fen → "%s"', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it.each([
    [-1, '-0.01'],
    [-1_234_567, '-12,345.67'],
    [-50_000_000, '-500,000.00'],
  ])('negative %i fen → "%s"', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('round-trips: removing the separators and the point gives the fen back', () => {
    for (let fen = 0; fen < 5_000_000_000; fen = fen * 3 + 7) {
      const text = formatFen(fen);
      expect(text).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
      expect(Number(text.replace(/[,.]/g, ''))).toBe(fen);
    }
  });
});

describe('divideRoundHalfUp: rounding half up to the fen', () => {
  it.each([
    [5, 2, 3], // 2.5 → 3
    [7, 2, 4], // 3.5 → 4
    [4, 2, 2],
    [4, 3, 1], // 1.33 → 1
    [5, 3, 2], // 1.67 → 2
    [0, 7, 0],
    [17, 36, 0], // 0.472 → 0
    [18, 36, 1], // exactly 0.5 → 1
    [50_000_000, 36, 1_388_889], // 1,388,888.89 → 1,388,889
    [36_000_000, 36, 1_000_000],
  ])('%i / %i → %i', (amount, divisor, expected) => {
    expect(divideRoundHalfUp(amount, divisor)).toBe(expected);
  });

  it('agrees with exact integer arithmetic, floor((2a + d) / 2d), across the safe-integer range', () => {
    let seed = 20260930;
    const random = () => {
      // mulberry32: a small seeded PRNG, so a failure is reproducible
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (let i = 0; i < 2000; i++) {
      const magnitude = 10 ** Math.floor(random() * 16);
      const amount = Math.min(Math.floor(random() * magnitude * 9), Number.MAX_SAFE_INTEGER);
      const divisor = 1 + Math.floor(random() * (i % 2 === 0 ? 100 : 10_000_000));
      const exact = (2n * BigInt(amount) + BigInt(divisor)) / (2n * BigInt(divisor));
      expect(divideRoundHalfUp(amount, divisor), `${amount} / ${divisor}`).toBe(Number(exact));
    }
    expect(divideRoundHalfUp(Number.MAX_SAFE_INTEGER, 36)).toBe(Number((2n * BigInt(Number.MAX_SAFE_INTEGER) + 36n) / 72n));
  });

  it.each([
    [100, 0],
    [100, -3],
    [100, 1.5],
    [1.5, 2],
    [Number.NaN, 2],
    [Number.MAX_SAFE_INTEGER + 1, 2],
  ])('refuses %s / %s', (amount, divisor) => {
    expect(() => divideRoundHalfUp(amount, divisor)).toThrow(RangeError);
  });
});

describe('fen values', () => {
  it('isFen accepts only non-negative safe integers', () => {
    expect(isFen(0)).toBe(true);
    expect(isFen(50_000_000)).toBe(true);
    expect(isFen(-1)).toBe(false);
    expect(isFen(1.5)).toBe(false);
    expect(isFen('100')).toBe(false);
    expect(isFen(Number.NaN)).toBe(false);
  });

  it('yuan converts to whole fen without floating-point drift', () => {
    expect(yuan(500_000)).toBe(50_000_000);
    expect(yuan(12_345.67)).toBe(1_234_567);
    expect(yuan(0.1 + 0.2)).toBe(30);
    expect(yuan(13_888.89)).toBe(1_388_889);
  });
});
