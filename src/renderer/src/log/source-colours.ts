/**
 * Colours for the sources of a merged view: each source keeps its colour while it stays selected,
 * and sources added later take the first colour nobody uses, so two never share one until there
 * are more sources than colours.
 */

/** 256-colour palette indexes that read well on the dark log background, most distinct first. */
export const sourcePalette = [39, 214, 120, 213, 45, 203, 190, 141, 216, 50, 226, 111] as const;

export type SourceColour = (typeof sourcePalette)[number];

/** Keeps `previous` colours of the keys still present; gives the others the free ones in order. */
export function assignColours(keys: readonly string[], previous: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const out = new Map<string, number>();
  const used = new Set<number>();
  for (const key of keys) {
    const colour = previous.get(key);
    if (colour !== undefined && !used.has(colour)) {
      out.set(key, colour);
      used.add(colour);
    }
  }
  let next = 0;
  for (const key of keys) {
    if (out.has(key)) continue;
    const free = sourcePalette.find((c) => !used.has(c));
    const colour = free ?? sourcePalette[next++ % sourcePalette.length]!;
    out.set(key, colour);
    used.add(colour);
  }
  return out;
}

/** The CSS colour of a palette index (xterm's default 256-colour cube), for legends next to the terminal. */
export function paletteCss(index: number): string {
  if (index >= 16 && index <= 231) {
    const n = index - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(n / 36))}, ${level(Math.floor(n / 6) % 6)}, ${level(n % 6)})`;
  }
  if (index >= 232 && index <= 255) {
    const v = 8 + (index - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  return 'currentColor';
}

/**
 * The label in front of each line of a merged view: the source's name padded (or cut) to `width`
 * cells, in its colour, then a separator.
 */
export function sourceLabel(name: string, colour: number, width: number): { text: string; cells: number } {
  const chars = [...name];
  const shown = chars.length > width ? `${chars.slice(0, Math.max(1, width - 1)).join('')}…` : name.padEnd(width);
  return { text: `\x1b[38;5;${colour}m${shown} │\x1b[0m `, cells: width + 3 };
}
