// Charts as inline SVG text: no script, no external file, so a report opens anywhere and a
// webview's Content-Security-Policy has nothing to allow. Colours are CSS variables the page sets
// for light and dark themes.

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** A CSS colour or var(); one of the palette when absent. */
  readonly colour?: string;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabels: readonly string[];
  readonly yFormat?: (value: number) => string;
  readonly width?: number;
  readonly height?: number;
}

export const PALETTE = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--chart-5)', 'var(--chart-6)'];

const PAD = { left: 64, right: 16, top: 28, bottom: 40 };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Series stacked on one another as filled areas (cost by tier over time). */
export function stackedAreaChart(series: readonly Series[], options: ChartOptions): string {
  const n = options.xLabels.length;
  const tops = new Array<number>(n).fill(0);
  const layers = series.map((s) => {
    const bottom = [...tops];
    s.values.forEach((v, i) => (tops[i] = (tops[i] ?? 0) + v));
    return { ...s, bottom, top: [...tops] };
  });
  const frame = new Frame(options, n, 0, Math.max(...tops, 0));
  const shapes = layers.map((layer, k) => {
    const upper = layer.top.map((v, i) => `${frame.x(i)},${frame.y(v)}`);
    const lower = layer.bottom.map((v, i) => `${frame.x(i)},${frame.y(v)}`).reverse();
    return `<polygon class="series" data-series="${escapeXml(layer.name)}" points="${[...upper, ...lower].join(' ')}" fill="${layer.colour ?? PALETTE[k % PALETTE.length]}" fill-opacity="0.85"><title>${escapeXml(layer.name)}</title></polygon>`;
  });
  return frame.wrap(shapes.join(''), legend(series));
}

/** Lines, with an optional shaded band (a forecast with its interval). */
export function lineChart(series: readonly Series[], options: ChartOptions & { readonly band?: { readonly low: readonly (number | null)[]; readonly high: readonly (number | null)[]; readonly name: string } }): string {
  const n = options.xLabels.length;
  const all = [...series.flatMap((s) => s.values.filter(Number.isFinite)), ...(options.band?.high.filter((v): v is number => v !== null) ?? [])];
  const frame = new Frame(options, n, 0, Math.max(...all, 0));
  const parts: string[] = [];
  if (options.band !== undefined) {
    const { low, high } = options.band;
    const idx = high.map((v, i) => (v === null ? -1 : i)).filter((i) => i >= 0);
    if (idx.length > 0) {
      const upper = idx.map((i) => `${frame.x(i)},${frame.y(high[i] ?? 0)}`);
      const lower = idx.map((i) => `${frame.x(i)},${frame.y(low[i] ?? 0)}`).reverse();
      parts.push(`<polygon class="band" data-series="${escapeXml(options.band.name)}" points="${[...upper, ...lower].join(' ')}" fill="var(--chart-band)"><title>${escapeXml(options.band.name)}</title></polygon>`);
    }
  }
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => (Number.isFinite(v) ? `${frame.x(i)},${frame.y(v)}` : '')).filter(Boolean);
    parts.push(`<polyline class="series" data-series="${escapeXml(s.name)}" points="${points.join(' ')}" fill="none" stroke="${s.colour ?? PALETTE[k % PALETTE.length]}" stroke-width="2"><title>${escapeXml(s.name)}</title></polyline>`);
  });
  return frame.wrap(parts.join(''), legend(series));
}

/** Groups of stacked bars (the three deployment models, each split into its charges). */
export function stackedBarChart(series: readonly Series[], options: ChartOptions): string {
  const n = options.xLabels.length;
  const totals = options.xLabels.map((_, i) => series.reduce((t, s) => t + (s.values[i] ?? 0), 0));
  const frame = new Frame(options, n, 0, Math.max(...totals, 0), true);
  const barWidth = Math.max(8, (frame.plotWidth / n) * 0.5);
  const bars: string[] = [];
  options.xLabels.forEach((label, i) => {
    let base = 0;
    series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return;
      const yTop = frame.y(base + v);
      const yBottom = frame.y(base);
      bars.push(
        `<rect class="series" data-series="${escapeXml(s.name)}" x="${(frame.x(i) - barWidth / 2).toFixed(1)}" y="${yTop}" width="${barWidth.toFixed(1)}" height="${(yBottom - yTop).toFixed(1)}" fill="${s.colour ?? PALETTE[k % PALETTE.length]}"><title>${escapeXml(`${label}, ${s.name}: ${frame.format(v)}`)}</title></rect>`,
      );
      base += v;
    });
    bars.push(`<text class="value" x="${frame.x(i)}" y="${frame.y(totals[i] ?? 0) - 4}" text-anchor="middle">${escapeXml(frame.format(totals[i] ?? 0))}</text>`);
  });
  return frame.wrap(bars.join(''), legend(series));
}

function legend(series: readonly Series[]): string {
  return series
    .map((s, k) => `<tspan fill="${s.colour ?? PALETTE[k % PALETTE.length]}">■</tspan><tspan> ${escapeXml(s.name)}   </tspan>`)
    .join('');
}

/** Axes, scale and the outer <svg>. */
class Frame {
  readonly width: number;
  readonly height: number;
  readonly plotWidth: number;
  readonly plotHeight: number;
  readonly format: (value: number) => string;
  private readonly max: number;

  constructor(
    private readonly options: ChartOptions,
    private readonly n: number,
    private readonly min: number,
    max: number,
    private readonly categorical = false,
  ) {
    this.width = options.width ?? 720;
    this.height = options.height ?? 260;
    this.plotWidth = this.width - PAD.left - PAD.right;
    this.plotHeight = this.height - PAD.top - PAD.bottom;
    this.max = niceCeiling(max);
    this.format = options.yFormat ?? ((v) => v.toFixed(2));
  }

  x(i: number): number {
    if (this.categorical) return round(PAD.left + ((i + 0.5) * this.plotWidth) / Math.max(1, this.n));
    return round(PAD.left + (this.n <= 1 ? this.plotWidth / 2 : (i * this.plotWidth) / (this.n - 1)));
  }

  y(value: number): number {
    const span = this.max - this.min || 1;
    return round(PAD.top + this.plotHeight - ((value - this.min) / span) * this.plotHeight);
  }

  wrap(body: string, legendText: string): string {
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => this.min + f * (this.max - this.min));
    const grid = ticks
      .map((v) => `<line class="grid" x1="${PAD.left}" x2="${this.width - PAD.right}" y1="${this.y(v)}" y2="${this.y(v)}"/><text class="tick" x="${PAD.left - 6}" y="${this.y(v) + 4}" text-anchor="end">${escapeXml(this.format(v))}</text>`)
      .join('');
    const labelEvery = Math.max(1, Math.ceil(this.n / 8));
    const xLabels = this.options.xLabels
      .map((label, i) => (i % labelEvery === 0 || (this.categorical && this.n <= 8) ? `<text class="tick" x="${this.x(i)}" y="${this.height - PAD.bottom + 16}" text-anchor="middle">${escapeXml(label)}</text>` : ''))
      .join('');
    const title = escapeXml(this.options.title);
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${this.width} ${this.height}" width="${this.width}" height="${this.height}">` +
      `<title>${title}</title>` +
      `<text class="chart-title" x="${PAD.left}" y="16">${title}</text>` +
      grid +
      body +
      xLabels +
      `<text class="legend" x="${PAD.left}" y="${this.height - 8}">${legendText}</text>` +
      `</svg>`
    );
  }
}

function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
