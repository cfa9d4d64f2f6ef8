import { notice } from './dom.js';

const KEY = 'youchuang.flash';

/** A message for the next page (after a form sends the person elsewhere). */
export function flash(text: string): void {
  sessionStorage.setItem(KEY, text);
}

export function takeFlash(): HTMLElement | null {
  const text = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  return text ? notice('ok', text) : null;
}
