/**
 * Who is signed in, and how requests prove it. The session itself is an HttpOnly, SameSite=Strict
 * cookie the server sets on sign-in: this page's scripts never see the token, and the browser sends
 * the cookie with every request to this origin. Writes also carry the session's CSRF token (from the
 * sign-in answer) in X-CSRF-Token, which the server requires of cookie-signed-in changes. Only the
 * account and that CSRF token are kept here, in sessionStorage: one tab's. Another tab (a case link
 * opened in a new tab) starts with none, and asks the API whose session its cookie carries
 * (`restoreSession`, GET /api/auth/session) before anything decides that a page needs a sign-in.
 */
export interface SignedInAccount {
  accountId: string;
  username: string;
  displayName: string;
  role: 'applicant' | 'official' | 'auditor' | 'admin' | 'expert';
  department: string | null;
  /** An official's duties (reviewer, approver, director, supervisor); empty for everyone else. */
  duties?: string[];
  /** An applicant's kind: the 雏鹰 loan is for companies, so an individual creator is not offered it. */
  applicantKind?: 'individual' | 'company' | null;
  /** A company applicant's organisation as registered on the account: it applies under this code only. */
  company?: { name: string; unifiedSocialCreditCode: string } | null;
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

/** Keeps what POST /api/auth/login (or GET /api/auth/session) answered, less the bearer token (the cookie carries the session). */
export function signIn(login: { csrfToken?: string; expiresAt: string; account: SignedInAccount }): void {
  const stored: StoredSession = { csrfToken: login.csrfToken ?? '', expiresAt: login.expiresAt, account: login.account };
  sessionStorage.setItem(KEY, JSON.stringify(stored));
  // Drafts another account left in this tab are not this one's to see.
  discardDrafts((owner) => owner !== login.account.accountId);
}

/**
 * Forgets the session in this tab. Drafts stay: when the session merely ended (expired, or signed
 * out in another tab), the same person signs in again and finds what they were typing.
 */
export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

let asking: Promise<SignedInAccount | undefined> | undefined;

/**
 * The account the session cookie signs in, for a tab that has none stored: GET /api/auth/session
 * answers it with the session's CSRF token (the cookie is SameSite=Strict, so only this site's own
 * pages get a signed-in answer). Undefined when no session is live. Asked directly rather than
 * through api(): its 401 means "not signed in", not "the session just ended".
 */
export function restoreSession(): Promise<SignedInAccount | undefined> {
  const stored = read();
  if (stored) return Promise.resolve(stored.account);
  asking ??= (async () => {
    try {
      const response = await fetch('/api/auth/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) return undefined;
      const session = (await response.json()) as { csrfToken: string; expiresAt: string; account: SignedInAccount };
      signIn(session);
      return read()?.account;
    } catch {
      // Offline or the server down: the page goes on as signed out, and asks again on the next page that needs a sign-in.
      return undefined;
    } finally {
      asking = undefined;
    }
  })();
  return asking;
}

/**
 * What a person typed into a form and has not sent (forms.ts), kept in this tab's sessionStorage
 * under the account that typed it, never a password. Gone with the tab, on sign-out, once sent.
 */
const DRAFT_PREFIX = 'youchuang.draft:';

/** The storage key of a form's draft for the signed-in account; undefined when nobody is signed in. */
export function draftKey(form: string): string | undefined {
  const account = currentAccount();
  return account ? `${DRAFT_PREFIX}${account.accountId}:${form}` : undefined;
}

/** Removes the drafts in this tab, of every account or of those `whose` picks. */
export function discardDrafts(whose: (accountId: string) => boolean = () => true): void {
  const keys = Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i)).filter((k): k is string => k?.startsWith(DRAFT_PREFIX) ?? false);
  for (const key of keys) {
    const owner = key.slice(DRAFT_PREFIX.length).split(':')[0] ?? '';
    if (whose(owner)) sessionStorage.removeItem(key);
  }
}
