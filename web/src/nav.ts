import type { SignedInAccount } from './session.js';

/** Where each role starts. */
export function homeOf(account: SignedInAccount | undefined): string {
  if (!account) return '#/catalogue';
  return { applicant: '#/cases', official: '#/queue', auditor: '#/audit', admin: '#/catalogue', expert: '#/cases' }[account.role];
}

let renderer: () => Promise<void> = async () => {};

export function setRenderer(render: () => Promise<void>): void {
  renderer = render;
}

/** Shows the current page again (after an action changed what it shows). */
export function refresh(): Promise<void> {
  return renderer();
}

/** Goes to a page; when it is the current one, shows it again. */
export function go(hash: string): Promise<void> | void {
  if (location.hash === hash) return refresh();
  location.hash = hash;
}
