import { h } from './dom.js';
import { dateInWords, dateTimeInWords } from './format.js';

// Dates as elements: the text in Chinese form for people, the ISO value in datetime= for machines.
// Kept apart from format.ts, which stays free of the DOM (the API's tests import it).

/** <time datetime="2026-12-10">2026年12月10日</time>, which does not break across lines (class nowrap). */
export function dateTag(date: string): HTMLElement {
  return h('time', { datetime: date, class: 'nowrap' }, dateInWords(date));
}

/** The inclusive deadline: <time datetime="2026-12-10">2026年12月10日</time>（含）前. */
export function dueByTag(date: string): HTMLElement {
  return h('span', { class: 'due-by' }, dateTag(date), '（含）前');
}

/** A payout's day by the award's schedule: <time datetime="2027-03-15">2027年3月15日</time>发放. */
export function payoutDateTag(date: string): HTMLElement {
  return h('span', { class: 'payout-on' }, dateTag(date), '发放');
}

/** An instant as its Shanghai date and time: <time datetime="2026-12-03T05:56:00Z">2026年12月3日 13:56</time>. */
export function dateTimeTag(at: string): HTMLElement {
  return h('time', { datetime: at, class: 'nowrap' }, dateTimeInWords(at));
}
