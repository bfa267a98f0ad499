import { describe, expect, it } from 'vitest';
import { ZONE_KINDS } from '../../src/layout/Layout';
import { cssHex, fillColor, hsl, NEUTRAL_SLOT, skuColor, ZONE_COLORS } from '../../src/render/palette';

describe('palette', () => {
  it('converts HSL to 0xRRGGBB', () => {
    expect(hsl(0, 1, 0.5)).toBe(0xff0000);
    expect(hsl(120, 1, 0.5)).toBe(0x00ff00);
    expect(hsl(240, 1, 0.5)).toBe(0x0000ff);
    expect(hsl(0, 0, 1)).toBe(0xffffff);
    expect(cssHex(0x00ff00)).toBe('#00ff00');
  });

  it('gives a SKU the same colour every time and different SKUs different colours', () => {
    expect(skuColor('sku-water')).toBe(skuColor('sku-water'));
    const colours = new Set(Array.from({ length: 20 }, (_, i) => skuColor(`sku-${i}`)));
    expect(colours.size).toBe(20);
  });

  it('ramps fill from red (empty) to green (full), clamps, and is neutral when unknown', () => {
    const red = (c: number) => c >> 16;
    const green = (c: number) => (c >> 8) & 0xff;
    expect(red(fillColor(0))).toBeGreaterThan(green(fillColor(0)));
    expect(green(fillColor(1))).toBeGreaterThan(red(fillColor(1)));
    expect(fillColor(-1)).toBe(fillColor(0));
    expect(fillColor(2)).toBe(fillColor(1));
    expect(fillColor(Number.NaN)).toBe(NEUTRAL_SLOT);
  });

  it('has a colour for every zone kind of the contract', () => {
    for (const kind of ZONE_KINDS) expect(ZONE_COLORS[kind]).toBeTypeOf('number');
  });
});
