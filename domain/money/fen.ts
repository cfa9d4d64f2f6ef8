/**
 * Money is an integer number of fen (分, 1/100 CNY) everywhere: events, tables, APIs.
 * Fractions of a fen and floating-point yuan never enter the system.
 */
export type Fen = number;

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function yuan(amount: number): Fen {
  const fen = Math.round(amount * 100);
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${amount} yuan is out of range`);
  return fen;
}

/** 1234567 → "12,345.67" — the way amounts are written in messages. */
export function formatFen(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Divides and rounds half up to the fen: the rounding the programmes' rules ask for. */
export function divideRoundHalfUp(amount: Fen, divisor: number): Fen {
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(divisor) || divisor <= 0) {
    throw new RangeError(`cannot divide ${amount} by ${divisor}`);
  }
  const quotient = Math.floor(amount / divisor);
  const remainder = amount - quotient * divisor;
  return remainder * 2 >= divisor ? quotient + 1 : quotient;
}

/** Fen → "12,345.67元": an amount as people read it. */
export function chineseAmount(fen: Fen): string {
  return `${formatFen(fen)}元`;
}
