import { h, svg } from './dom.js';

export interface Bar {
  label: string;
  value: number;
  /** What the bar's end says (defaults to the value). */
  text?: string;
  tone?: 'danger' | 'warn' | 'ok';
}

/**
 * A horizontal bar chart in plain SVG, labelled for screen readers, with the same numbers in a
 * table underneath (open it to read them).
 */
export function barChart(title: string, bars: Bar[], options: { max?: number; unit?: string } = {}): HTMLElement {
  const rowHeight = 30;
  const labelWidth = 170;
  const width = 560;
  const barArea = width - labelWidth - 110;
  const max = options.max ?? Math.max(1, ...bars.map((b) => b.value));
  const height = Math.max(rowHeight, bars.length * rowHeight) + 8;
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}：${bars.map((b) => `${b.label} ${b.text ?? b.value}`).join('，') || '暂无数据'}`, class: 'chart', preserveAspectRatio: 'xMinYMin meet' },
    svg('title', {}, title),
    ...bars.map((b, i) => {
      const y = i * rowHeight + 4;
      const w = Math.max(b.value > 0 ? 3 : 0, Math.round((b.value / max) * barArea));
      return svg(
        'g',
        { class: `bar ${b.tone ? `bar-${b.tone}` : ''}` },
        svg('text', { x: labelWidth - 8, y: y + rowHeight / 2 + 1, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-label' }, truncate(b.label, 13)),
        svg('rect', { x: labelWidth, y: y + 4, width: w, height: rowHeight - 10, rx: 3 }),
        svg('text', { x: labelWidth + w + 6, y: y + rowHeight / 2 + 1, 'dominant-baseline': 'middle', class: 'bar-value' }, b.text ?? `${b.value}${options.unit ?? ''}`),
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
      h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '项目'), h('th', { scope: 'col' }, '数值'))), h('tbody', {}, ...bars.map((b) => h('tr', {}, h('th', { scope: 'row' }, b.label), h('td', { class: 'num' }, b.text ?? String(b.value)))))),
    ),
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
