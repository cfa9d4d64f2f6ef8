/**
 * Who is signed in, and how requests prove it. The session itself is an HttpOnly, SameSite=Strict
 * cookie the server sets on sign-in: this page's scripts never see the token, and the browser sends
 * the cookie with every request to this origin. Writes also carry the session's CSRF token (from the
 * sign-in answer) in X-CSRF-Token, which the server requires of cookie-signed-in changes. Only the
 * account and that CSRF token are kept here, in sessionStorage.
 */
export interface SignedInAccount {
  accountId: string;
  username: string;
  displayName: string;
  role: 'applicant' | 'official' | 'auditor' | 'admin' | 'expert';
  department: string | null;
  /** An official's duties (reviewer, approver, director, supervisor); empty for everyone else. */
  duties?: string[];
}

const KEY = 'youchuang.session';

interface StoredSession {
  csrfToken: string;
  expiresAt: string;
  account: SignedInAccount;
}

function read(): StoredSession | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as StoredSession;
    if (Date.parse(session.expiresAt) <= Date.now() || typeof session.csrfToken !== 'string') {
      sessionStorage.removeItem(KEY);
      return undefined;
    }
    return session;
  } catch {
    return undefined;
  }
}

export function currentAccount(): SignedInAccount | undefined {
  return read()?.account;
}

/** The CSRF header for the session cookie (the cookie itself travels on its own). */
export function authHeaders(): Record<string, string> {
  const session = read();
  return session ? { 'x-csrf-token': session.csrfToken } : {};
}

/** Keeps what POST /api/auth/login answered, less the bearer token (the cookie carries the session). */
export function signIn(login: { csrfToken?: string; expiresAt: string; account: SignedInAccount }): void {
  const stored: StoredSession = { csrfToken: login.csrfToken ?? '', expiresAt: login.expiresAt, account: login.account };
  sessionStorage.setItem(KEY, JSON.stringify(stored));
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}
