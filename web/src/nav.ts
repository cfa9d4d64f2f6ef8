import type { SignedInAccount } from './session.js';

/** An address with its query, the empty values left out: `#/dashboard?month=2026-11`, or `#/dashboard`; the API's paths alike. */
export function addressWith(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Where each role starts. */
export function homeOf(account: SignedInAccount | undefined): string {
  if (!account) return '#/catalogue';
  return { applicant: '#/cases', official: '#/queue', auditor: '#/audit', admin: '#/accounts', expert: '#/cases' }[account.role];
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

/** A menu entry: its address and its words. */
export type MenuEntry = readonly [href: string, text: string];

/** The menu entry the page on screen belongs to, with the address of the list it was opened from (query included). */
let shownEntry: { href: string; text: string; from: string } | undefined;

/**
 * The menu entry to mark as where the person is: the entry whose page this is; on a page under no
 * entry of its own (a case, an application form), the entry the person came from — a case opened
 * from 待办队列 is in 待办队列, the same case opened from 全部案件 is in 全部案件. Kept in the history
 * entry, so a reload, back and forward say the same; a page opened afresh (a link in a new tab)
 * falls back to the entry its address starts with.
 */
export function menuEntryOf(path: string, entries: readonly MenuEntry[]): MenuEntry | undefined {
  const exact = entries.find(([href]) => path === href || path.startsWith(`${href}?`));
  const state = (history.state ?? {}) as { menu?: unknown; menuFrom?: unknown };
  let found: MenuEntry | undefined;
  let from = path;
  if (exact) found = exact;
  else {
    const kept = entries.find(([href]) => href === state.menu) ?? entries.find(([href]) => href === shownEntry?.href);
    if (kept) {
      found = kept;
      from = typeof state.menuFrom === 'string' && state.menu === kept[0] ? state.menuFrom : (shownEntry?.from ?? kept[0]);
    } else {
      found = entries.find(([href]) => path.startsWith(`${href}/`));
      from = found?.[0] ?? path;
    }
    if (found && (state.menu !== found[0] || state.menuFrom !== from)) history.replaceState({ ...state, menu: found[0], menuFrom: from }, '');
  }
  shownEntry = found ? { href: found[0], text: found[1], from } : undefined;
  return found;
}

/** The list (or page) of the menu the page on screen was opened from, for its way back: `#/queue?q=…`, 待办队列. */
export function cameFrom(): { href: string; text: string } | undefined {
  return shownEntry ? { href: shownEntry.from, text: shownEntry.text } : undefined;
}
