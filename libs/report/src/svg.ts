import type { BusinessHours } from '@keywatch/enrich';
import { isWithinBusinessHours } from '@keywatch/enrich';
import { esc, num } from './html.ts';
import { WEEKDAYS } from './model.ts';
import { CELL, HEAT, heatLevel } from './palette.ts';

/** Which of the 168 hour-of-week cells (Monday 00h = 0) lie in the declared business hours. */
export function businessHourCells(hours: BusinessHours | null): boolean[] {
  return Array.from(
    { length: 168 },
    (_, i) => hours !== null && isWithinBusinessHours(hours, Math.floor(i / 24) + 1, (i % 24) * 60),
  );
}

const LEFT = 40;
const TOP = 22;

/**
 * The 7×24 hour-of-week heat map: one `<rect class="hm-cell">` per hour, Monday 00h first, with its count
 * in `data-count` and a `<title>` (hover, screen readers); declared business hours outlined per day.
 */
export function heatMapSvg(cells: readonly number[], hours: BusinessHours | null, caption: string): string {
  const max = Math.max(0, ...cells);
  const inside = businessHourCells(hours);
  const width = LEFT + 24 * CELL + 2;
  const height = TOP + 7 * CELL + 2;
  const parts: string[] = [
    `<svg class="heatmap" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="hm-title hm-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="hm-title">Calls by hour of week</title><desc id="hm-desc">${esc(caption)}</desc>`,
  ];
  for (let h = 0; h < 24; h += 3) {
    parts.push(
      `<text x="${LEFT + h * CELL + CELL / 2}" y="14" class="ax" text-anchor="middle">${String(h).padStart(2, '0')}</text>`,
    );
  }
  for (let d = 0; d < 7; d++) {
    const y = TOP + d * CELL;
    parts.push(`<text x="${LEFT - 6}" y="${y + CELL / 2 + 4}" class="ax" text-anchor="end">${WEEKDAYS[d]}</text>`);
    for (let h = 0; h < 24; h++) {
      const n = cells[d * 24 + h] ?? 0;
      // Kept short (168 per page): size and colour come from the page's CSS, the hour from the position.
      parts.push(
        `<rect class="hm-cell l${heatLevel(n, max)}" x="${LEFT + h * CELL}" y="${y}" data-count="${n}"><title>${WEEKDAYS[d]} ${String(h).padStart(2, '0')}:00 · ${num(n)}</title></rect>`,
      );
    }
    // Business hours: one outline per run of consecutive hours in the row.
    for (let h = 0; h < 24; h++) {
      if (!inside[d * 24 + h] || (h > 0 && inside[d * 24 + h - 1])) continue;
      let end = h;
      while (end < 24 && inside[d * 24 + end]) end++;
      parts.push(
        `<rect class="hm-bh" x="${LEFT + h * CELL - 1}" y="${y - 1}" width="${(end - h) * CELL}" height="${CELL}" fill="none" stroke="#b35806" stroke-width="2"/>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The colour legend of the heat map, as HTML (readable without the colours too). */
export function heatLegend(max: number): string {
  const steps = ['<span class="lg"><i class="l0"></i>none</span>'];
  let previous = 0;
  for (let level = 1; level < HEAT.length; level++) {
    const from = smallestCountAt(level, max);
    if (from === null || from === previous) continue;
    previous = from;
    steps.push(`<span class="lg"><i class="l${level}"></i>≥${num(from)}</span>`);
  }
  return `<p class="legend">Calls per hour cell: ${steps.join(' ')} <span class="lg"><i class="bh"></i>declared business hours</span></p>`;
}

/** The smallest count drawn at `level` or darker, or null when no count up to `max` reaches it. */
function smallestCountAt(level: number, max: number): number | null {
  if (max <= 0 || heatLevel(max, max) < level) return null;
  let lo = 1;
  let hi = max;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (heatLevel(mid, max) >= level) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface Bar {
  label: string;
  value: number;
}

/**
 * A bar chart of one series (calls per day, failures per day…) with a `<title>` per bar and a
 * description naming the total and the largest bar.
 */
export function barChartSvg(bars: readonly Bar[], opts: { title: string; unit: string; color?: string; id: string }): string {
  const width = Math.max(240, Math.min(900, bars.length * 18 + 50));
  const height = 150;
  const plotH = 110;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const bw = bars.length === 0 ? 0 : (width - 50) / bars.length;
  const total = bars.reduce((a, b) => a + b.value, 0);
  const peak = bars.reduce<Bar | null>((best, b) => (best === null || b.value > best.value ? b : best), null);
  const desc = `${num(total)} ${opts.unit} in ${bars.length} bars${peak ? `; most on ${peak.label} (${num(peak.value)})` : ''}.`;
  const parts = [
    `<svg class="bars" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${opts.id}-t ${opts.id}-d" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${opts.id}-t">${esc(opts.title)}</title><desc id="${opts.id}-d">${esc(desc)}</desc>`,
    `<text x="44" y="12" class="ax" text-anchor="end">${num(max)}</text><text x="44" y="${plotH + 10}" class="ax" text-anchor="end">0</text>`,
    `<line x1="48" y1="${plotH + 10}" x2="${width}" y2="${plotH + 10}" class="axis"/>`,
  ];
  bars.forEach((b, i) => {
    const h = (b.value / max) * plotH;
    const x = 50 + i * bw;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${(plotH + 10 - h).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${opts.color ?? '#2b6cb0'}" data-value="${b.value}"><title>${esc(b.label)}: ${num(b.value)} ${esc(opts.unit)}</title></rect>`,
    );
  });
  const step = Math.max(1, Math.ceil(bars.length / 6));
  for (let i = 0; i < bars.length; i += step) {
    parts.push(`<text x="${(50 + i * bw).toFixed(1)}" y="${height - 6}" class="ax">${esc(bars[i]!.label.slice(5))}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
