/** A small SVG chart writer (grouped horizontal bars), enough for the benchmark report; no dependencies. */

export interface Series {
  name: string;
  color: string;
  values: Array<number | null>;
}

export interface BarChart {
  title: string;
  subtitle?: string;
  categories: string[];
  series: Series[];
  /** Axis label, e.g. 'ms (log scale)'. */
  axis: string;
  log?: boolean;
  format?: (v: number) => string;
  width?: number;
}

export const palette = {
  engine: ['#1f4e9c', '#3d7bd9', '#8fb6f0'],
  baseline: ['#5b5b5b', '#8c8c8c', '#c4c4c4'],
  accent: '#d9822b',
};

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const formatNumber = (v: number): string => {
  const a = Math.abs(v);
  const trim = (t: string) => t.replace(/\.0$/, '');
  if (a >= 1e6) return `${trim((v / 1e6).toFixed(a >= 1e7 ? 0 : 1))}M`;
  if (a >= 1e4) return `${trim((v / 1e3).toFixed(a >= 1e5 ? 0 : 1))}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return Number.isInteger(v) ? String(v) : v.toFixed(1);
  return v.toFixed(2).replace(/\.?0+$/, '') || '0';
};

/** Ticks for a linear axis from 0 to at least max. */
function linearTicks(max: number): number[] {
  const raw = max / 5 || 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Decades covering [min, max]. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) ticks.push(10 ** e);
  return ticks;
}

export function barChart(spec: BarChart): string {
  const format = spec.format ?? formatNumber;
  const width = spec.width ?? 900;
  const charW = 6.6;
  const labelW = Math.min(340, Math.max(90, Math.max(...spec.categories.map((c) => c.length)) * charW + 16));
  const top = spec.subtitle ? 78 : 62;
  // Legend entries, wrapped onto as many rows as the width needs.
  const legend: Array<{ s: Series; x: number; row: number }> = [];
  {
    let lx = labelW;
    let row = 0;
    for (const s of spec.series) {
      const w = 17 + s.name.length * charW + 22;
      if (lx + w > width - 10 && lx > labelW) {
        row++;
        lx = labelW;
      }
      legend.push({ s, x: lx, row });
      lx += w;
    }
  }
  const legendH = 22 + 18 * (legend.length ? legend[legend.length - 1].row : 0);
  const barH = 13;
  const barGap = 2;
  const groupGap = 14;
  const groupH = spec.series.length * (barH + barGap) - barGap;
  const plotTop = top + legendH;
  const plotH = spec.categories.length * (groupH + groupGap);
  const right = 70;
  const plotX = labelW;
  const plotW = width - plotX - right;
  const height = plotTop + plotH + 46;

  const values = spec.series
    .flatMap((s) => s.values)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const positive = values.filter((v) => v > 0);
  const max = Math.max(...values, 0) || 1;
  const ticks = spec.log && positive.length ? logTicks(Math.min(...positive), max) : linearTicks(max);
  const lo = spec.log ? ticks[0] : 0;
  const hi = ticks[ticks.length - 1];
  const x = (v: number) =>
    spec.log
      ? plotX +
        ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo) || 1)) * plotW
      : plotX + (v / (hi || 1)) * plotW;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="17" font-weight="bold" fill="#222">${escape(spec.title)}</text>`,
  );
  if (spec.subtitle)
    out.push(`<text x="16" y="50" font-size="12" fill="#555">${escape(spec.subtitle)}</text>`);

  for (const { s, x: lx, row } of legend) {
    const ly = top + row * 18;
    out.push(`<rect x="${lx}" y="${ly - 4}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 17}" y="${ly + 6}" fill="#333">${escape(s.name)}</text>`);
  }

  // Grid and axis.
  for (const t of ticks) {
    const tx = x(t);
    out.push(`<line x1="${tx}" y1="${plotTop - 4}" x2="${tx}" y2="${plotTop + plotH}" stroke="#e3e3e3"/>`);
    out.push(
      `<text x="${tx}" y="${plotTop + plotH + 16}" text-anchor="middle" fill="#555">${escape(format(t))}</text>`,
    );
  }
  out.push(`<line x1="${plotX}" y1="${plotTop - 4}" x2="${plotX}" y2="${plotTop + plotH}" stroke="#888"/>`);
  out.push(
    `<text x="${plotX + plotW / 2}" y="${plotTop + plotH + 36}" text-anchor="middle" fill="#333">${escape(spec.axis)}</text>`,
  );

  // Bars.
  spec.categories.forEach((category, ci) => {
    const gy = plotTop + ci * (groupH + groupGap);
    out.push(
      `<text x="${plotX - 8}" y="${gy + groupH / 2 + 4}" text-anchor="end" fill="#222">${escape(category)}</text>`,
    );
    spec.series.forEach((s, si) => {
      const v = s.values[ci];
      const by = gy + si * (barH + barGap);
      if (v === null || !Number.isFinite(v)) {
        out.push(`<text x="${plotX + 4}" y="${by + barH - 2}" font-size="10" fill="#999">n/a</text>`);
        return;
      }
      const w = Math.max(1, x(v) - plotX);
      out.push(
        `<rect x="${plotX}" y="${by}" width="${w}" height="${barH}" fill="${s.color}"><title>${escape(`${s.name}: ${format(v)}`)}</title></rect>`,
      );
      out.push(
        `<text x="${plotX + w + 4}" y="${by + barH - 2}" font-size="10" fill="#333">${escape(format(v))}</text>`,
      );
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
