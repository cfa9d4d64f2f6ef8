import { h, svg } from './dom.js';

export interface Bar {
  label: string;
  value: number;
  /** What the bar's end says (defaults to the value). */
  text?: string;
  tone?: 'danger' | 'warn' | 'ok';
}

/** Font size of the chart's text (web/styles.css `.chart text`), in viewBox units. */
const FONT = 13;
/** The longest a label's column grows (a share of the chart's width); a longer label wraps onto a second line. */
const LABEL_MAX = 190;
const LABEL_SHARE = 0.4;

/**
 * Roughly how wide a text is drawn at FONT: a Chinese character is a full em, Latin letters and
 * digits about 0.58 em. Measuring in the page would need the chart on screen first; this errs wide.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/.test(ch) ? FONT : FONT * 0.6;
  return Math.ceil(width);
}

/** A label in at most two lines of at most `max` wide; what still does not fit ends in "…". */
function labelLines(label: string, max: number): string[] {
  if (textWidth(label) <= max) return [label];
  const chars = [...label];
  let first = '';
  while (chars.length && textWidth(first + chars[0]) <= max) first += chars.shift();
  let second = chars.join('').trimStart();
  if (textWidth(second) > max) {
    const kept = [...second];
    while (kept.length && textWidth(`${kept.join('')}…`) > max) kept.pop();
    second = `${kept.join('')}…`;
  }
  return [first.trimEnd(), second];
}

/**
 * A horizontal bar chart in plain SVG, labelled for screen readers, with the same numbers in a
 * table underneath (open it to read them). The label column is as wide as the longest label needs
 * (a longer one wraps onto two lines, so labels that share a beginning still read apart) and the
 * value column as wide as the longest value: the bars take what is left, so no value is cut off.
 */
export function barChart(title: string, bars: Bar[], options: { max?: number; unit?: string } = {}): HTMLElement {
  // Drawn about as wide as the screen allows, so that on a phone the text is not scaled down to a speck.
  const width = Math.max(320, Math.min(560, Math.round((typeof window === 'undefined' ? 560 : window.innerWidth) - 48)));
  const valueOf = (b: Bar) => b.text ?? `${b.value}${options.unit ?? ''}`;
  const labelWidth = Math.min(LABEL_MAX, Math.round(width * LABEL_SHARE), Math.max(60, ...bars.map((b) => textWidth(b.label)))) + 8;
  const lines = bars.map((b) => labelLines(b.label, labelWidth - 8));
  const valueWidth = Math.max(40, ...bars.map((b) => textWidth(valueOf(b)))) + 8;
  const barArea = Math.max(40, width - labelWidth - valueWidth - 6);
  const rowHeight = lines.some((l) => l.length > 1) ? 40 : 30;
  const max = options.max ?? Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(rowHeight, bars.length * rowHeight) + 8;
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}：${bars.map((b) => `${b.label} ${valueOf(b)}`).join('，') || '暂无数据'}`, class: 'chart', preserveAspectRatio: 'xMinYMin meet' },
    svg('title', {}, title),
    ...bars.map((b, i) => {
      const y = i * rowHeight + 4;
      const middle = y + rowHeight / 2 + 1;
      const w = Math.max(b.value > 0 ? 3 : 0, Math.round((Math.min(b.value, max) / max) * barArea));
      const label = lines[i]!;
      return svg(
        'g',
        { class: `bar ${b.tone ? `bar-${b.tone}` : ''}` },
        svg(
          'text',
          { x: labelWidth - 8, y: label.length > 1 ? middle - FONT * 0.6 : middle, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-label' },
          label.length > 1 ? label.map((line, n) => svg('tspan', { x: labelWidth - 8, dy: n === 0 ? 0 : FONT * 1.2 }, line)) : label[0],
          // The whole label on hover, where it wrapped or was cut.
          svg('title', {}, b.label),
        ),
        svg('rect', { x: labelWidth, y: y + 4, width: w, height: rowHeight - 10, rx: 3 }),
        svg('text', { x: labelWidth + w + 6, y: middle, 'dominant-baseline': 'middle', class: 'bar-value' }, valueOf(b)),
      );
    }),
    bars.length === 0 ? svg('text', { x: 10, y: 20, class: 'bar-label' }, '暂无数据') : null,
  );
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, title),
    chart,
    h(
      'details',
      { class: 'chart-data' },
      h('summary', {}, '查看数据'),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '项目'), h('th', { scope: 'col' }, '数值'))), h('tbody', {}, ...bars.map((b) => h('tr', {}, h('th', { scope: 'row' }, b.label), h('td', { class: 'num' }, valueOf(b)))))),
    ),
  );
}
