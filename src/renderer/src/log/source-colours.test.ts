import { describe, expect, it } from 'vitest';
import { assignColours, paletteCss, sourceLabel, sourcePalette } from './source-colours';

describe('assignColours', () => {
  it('gives each source its own colour, in palette order', () => {
    const colours = assignColours(['job:1', 'job:2', 'container:abc']);
    expect([...colours.values()]).toEqual(sourcePalette.slice(0, 3));
  });

  it('keeps the colours of sources that stay and reuses freed ones for new sources', () => {
    const first = assignColours(['a', 'b', 'c']);
    const second = assignColours(['c', 'd'], first);
    expect(second.get('c')).toBe(first.get('c'));
    expect(second.get('d')).toBe(first.get('a'));
  });

  it('cycles only when there are more sources than colours', () => {
    const keys = Array.from({ length: sourcePalette.length + 2 }, (_, i) => `k${i}`);
    const colours = assignColours(keys);
    expect(new Set([...colours.values()].slice(0, sourcePalette.length)).size).toBe(sourcePalette.length);
    expect(colours.get(`k${sourcePalette.length}`)).toBe(sourcePalette[0]);
  });
});

describe('sourceLabel', () => {
  it('pads the name to a common width in its colour', () => {
    expect(sourceLabel('web', 39, 6)).toEqual({ text: '\x1b[38;5;39mweb    │\x1b[0m ', cells: 9 });
  });

  it('cuts a long name with an ellipsis', () => {
    expect(sourceLabel('a-very-long-name', 39, 6).text).toBe('\x1b[38;5;39ma-ver… │\x1b[0m ');
  });
});

describe('paletteCss', () => {
  it('matches the xterm colour cube', () => {
    expect(paletteCss(39)).toBe('rgb(0, 175, 255)');
    expect(paletteCss(214)).toBe('rgb(255, 175, 0)');
    expect(paletteCss(244)).toBe('rgb(128, 128, 128)');
  });
});
