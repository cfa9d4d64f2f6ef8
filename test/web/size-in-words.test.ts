import { describe, expect, it } from 'vitest';
import { sizeInWords } from '../../web/src/format.js';

describe('a file’s size in words', () => {
  it('never reads as within a limit it exceeds: megabytes to two places, rounded up as the server says them', () => {
    // 21,000,000 bytes: the server refuses it as 收到 20.03 MB; the list had said 20.0 MB beside that.
    expect(sizeInWords(21_000_000)).toBe('20.03 MB');
    expect(sizeInWords(20 * 1024 * 1024)).toBe('20.00 MB');
    expect(sizeInWords(20 * 1024 * 1024 + 45)).toBe('20.01 MB');
    expect(sizeInWords(48)).toBe('48 字节');
    expect(sizeInWords(1536)).toBe('1.5 KB');
  });
});
