import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt is memory-hard: N=2^15, r=8 needs 32 MiB per guess, which is what makes stolen hashes slow to crack.
const PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, KEY_LENGTH, { ...params, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Passwords people choose first, long enough to pass a length rule alone. */
const COMMON_PASSWORDS = new Set(['123456789012', '1234567890123', '12345678901234', 'password1234', 'passw0rd1234', 'qwertyuiop12', 'qwertyuiopas', 'abcdefghijkl', '111111111111', 'admin1234567', 'youchuang123', 'youchuang-demo', 'iloveyou1234', 'a1b2c3d4e5f6']);

/**
 * What is wrong with a password its holder chose, in plain Chinese, or undefined: long enough,
 * and not guessable from who they are or from lists every guesser starts with (NIST SP 800-63B 5.1.1.2).
 */
export function passwordProblem(password: string, username: string): string | undefined {
  if ([...password].length < 12) return '密码至少 12 个字符';
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return '密码不能包含用户名';
  if (new Set(password).size < 5) return '密码过于简单：请至少使用 5 个不同的字符';
  if (COMMON_PASSWORDS.has(lower)) return '这是常见密码，很容易被猜中：请另选一个';
  if (/^(?:0123456789|1234567890|abcdefghijklmnopqrstuvwxyz|qwertyuiop)/.test(lower) && new Set(password).size === [...password].length) return '密码过于简单：请不要使用连续的字母或数字';
  return undefined;
}
