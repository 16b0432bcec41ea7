// Charts as files: a Vega-Lite spec rendered without a browser to SVG (vega's headless renderer), and the SVG
// to PNG by resvg with a real font (DejaVu Sans, Debian's fonts-dejavu-core), in which the labels are also
// measured, so that axes and legends leave the room their text takes.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { makeFolder } from '../models/atomic-write.js';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './curve-spec.js';

/** The font of every chart's text; others are looked up among the system's fonts. */
export const CHART_FONT = 'DejaVu Sans';
// Where Linux distributions put DejaVu: Debian and Ubuntu, Fedora, Arch.
const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/dejavu-sans-fonts', '/usr/share/fonts/TTF'];

let fontOptions: ResvgRenderOptions['font'] | undefined;

/** resvg's fonts: DejaVu's folder alone when it is there (fast, the same pictures everywhere), else the system's. */
export function chartFonts(): NonNullable<ResvgRenderOptions['font']> {
  if (!fontOptions) {
    const dir = FONT_DIRS.find((d) => existsSync(join(d, 'DejaVuSans.ttf')));
    fontOptions = dir
      ? { loadSystemFonts: false, fontDirs: [dir], defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT }
      : { loadSystemFonts: true, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT };
  }
  return fontOptions;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const widths = new Map<string, number>();

/** How a piece of text is set: vega's text items carry these fields. */
export interface TextStyle {
  font?: string;
  fontSize?: number;
  fontWeight?: string | number;
  fontStyle?: string;
}

/**
 * The advance width of a line of text in pixels, measured by laying it out in resvg between two bars (the bars
 * keep spaces at either end counted), cached per style and text.
 * @example measureTextWidth('valid error', { fontSize: 11 })
 */
export function measureTextWidth(text: string, style: TextStyle = {}): number {
  const attributes = `font-family="${escapeXml(style.font ?? CHART_FONT).replace(/"/g, "'")}" font-size="${style.fontSize ?? 11}"`
    + ` font-weight="${style.fontWeight ?? 'normal'}" font-style="${style.fontStyle ?? 'normal'}"`;
  const key = `${attributes}\n${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    const measure = (t: string) => {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="200">'
        + `<text x="10" y="100" ${attributes}>${escapeXml(t)}</text></svg>`;
      return new Resvg(svg, { font: chartFonts() }).getBBox()?.width ?? 0;
    };
    width = text ? Math.max(0, measure(`|${text}|`) - measure('||')) : 0;
    widths.set(key, width);
  }
  return width;
}

let vegaModule: Promise<typeof import('vega')> | undefined;

/** vega, loaded on first use (it takes a noticeable part of a second), told to measure text in the chart font. */
function loadVega(): Promise<typeof import('vega')> {
  vegaModule ??= import('vega').then((vega) => {
    // textMetrics is vega's documented hook for measuring text (vl-convert sets it too), absent from its types.
    const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextStyle, text?: unknown) => number } };
    textMetrics.width = (item, text) => measureTextWidth(text == null ? '' : String(text).trim(), item);
    return vega;
  });
  return vegaModule;
}

/**
 * A Vega-Lite spec as an SVG document (text in DejaVu Sans unless the spec's config names another font).
 * @example const svg = await renderChartSvg(curveSpec(runs, 'valid_error'));
 */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([loadVega(), import('vega-lite')]);
  const compiled = compile(spec as TopLevelSpec, { config: { font: CHART_FONT } }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * An SVG document as PNG bytes, `scale` pixels per SVG unit, on white.
 * @example writeFileSync('chart.png', svgToPng(svg, 2));
 */
export function svgToPng(svg: string, scale = 1): Buffer {
  const fitTo = scale === 1 ? { mode: 'original' as const } : { mode: 'zoom' as const, value: scale };
  return new Resvg(svg, { font: chartFonts(), background: 'white', fitTo }).render().asPng();
}

/** The two files of a chart. */
export interface ChartFiles {
  svg: string;
  png: string;
}

/**
 * Writes an SVG document as `base.svg` and `base.png` (a path ending in .svg or .png names the same pair);
 * the parent folder is created.
 * @example writeSvgAndPng('runs/mlp/confusion', svg) // runs/mlp/confusion.svg and .png
 */
export function writeSvgAndPng(path: string, svg: string, scale = 1): ChartFiles {
  const base = path.replace(/\.(svg|png)$/i, '');
  const files = { svg: `${base}.svg`, png: `${base}.png` };
  makeFolder(dirname(files.svg));
  writeFileSync(files.svg, svg);
  writeFileSync(files.png, svgToPng(svg, scale));
  return files;
}

/**
 * Renders a Vega-Lite spec and writes it as SVG and PNG (see writeSvgAndPng).
 * @example await writeChart('out/valid_error', curveSpec(runs, 'valid_error')) // out/valid_error.svg and .png
 */
export async function writeChart(path: string, spec: ChartSpec, scale = 1): Promise<ChartFiles> {
  return writeSvgAndPng(path, await renderChartSvg(spec), scale);
}
