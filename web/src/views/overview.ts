import type { CaseView } from '../case-model.js';
import { h } from '../dom.js';
import { isoDatesInWords } from '../format.js';

/**
 * A line of a case's overview as people read it: its dates in Chinese (the modules write
 * "2026-12-10 24:00 前"), and the 查询码 set as code — it is typed letter by letter as shown, and it is
 * a code, not a word to translate.
 */
export function overviewValue(c: Pick<CaseView, 'progressCode'>, value: string): HTMLElement | string {
  return c.progressCode && value === c.progressCode ? h('code', { class: 'progress-code' }, value) : isoDatesInWords(value);
}
