/** Heat-map geometry and colours, shared by the SVG and the page stylesheet. */
export const CELL = 22;

/**
 * Sequential palette, light to dark (ColorBrewer Blues, last three darkened): level 0 is "no calls".
 * Text is never drawn on the cells, so their contrast only matters against the white page and each other.
 */
export const HEAT = ['#f4f6f8', '#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c', '#08306b'];

/** Colour level 0..6 of a count: 0 only for no calls, then by share of the busiest cell (square-root scale). */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(HEAT.length - 1, 1 + Math.floor(Math.sqrt(count / max) * (HEAT.length - 1 - 0.001)));
}

/** Cell size and colours of the heat map, for the page's stylesheet. */
export const HEAT_MAP_CSS = `.hm-cell{width:${CELL - 2}px;height:${CELL - 2}px}${HEAT.map((c, i) => `.l${i}{fill:${c};background:${c}}`).join('')}`;
