import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a one-time sign-in code stays valid: long enough to reach its holder out-of-band. */
export const SIGN_IN_CODE_HOURS = 72;

export interface IssuedSignInCode {
  /** Shown once, to the administrator, to hand over out-of-band; never stored. */
  code: string;
  hash: string;
  expiresAt: Date;
}

// 192 random bits: guessing is hopeless, so a fast hash stores it as safely as scrypt would.
export const signInCodeHash = (code: string) => createHash('sha256').update(code).digest('hex');

export function newSignInCode(now: Date): IssuedSignInCode {
  const code = randomBytes(24).toString('base64url');
  return { code, hash: signInCodeHash(code), expiresAt: new Date(now.getTime() + SIGN_IN_CODE_HOURS * 3600_000) };
}

export function signInCodeMatches(code: string, storedHash: string): boolean {
  const presented = Buffer.from(signInCodeHash(code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/**
 * The web UI's activation page for the code. The code travels in the fragment, which browsers
 * never send to a server: it reaches no request log, proxy or Referer header.
 */
export const activationLink = (username: string, code: string) => `/#/activate?username=${encodeURIComponent(username)}&code=${encodeURIComponent(code)}`;
