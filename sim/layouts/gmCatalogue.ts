/**
 * The SKU catalogue of the general-merchandise example store (and of the stress layout), by
 * department. Prices in US dollars; `unitGrams` is one selling unit with its packaging, what
 * a load cell weighs. `perSlot` is how many units fit one slot when a level is split two ways
 * (0.6 m of a 0.6 m deep shelf); generators scale it to the slots they draw.
 */
import type { SkuJson } from './LayoutJson';

export type Department = 'grocery' | 'household' | 'health' | 'toys' | 'electronics' | 'pet' | 'seasonal' | 'cage';

export interface CatalogueSku extends SkuJson {
  department: Department;
  perSlot: number;
}

type Row = [id: string, name: string, grams: number, cost: number, price: number, perSlot: number];

const ROWS: Record<Department, Row[]> = {
  grocery: [
    ['gr-water-24', 'Spring water 24 x 500 ml', 12600, 2.9, 4.99, 4],
    ['gr-sparkling-12', 'Sparkling water 12 x 355 ml', 4700, 3.1, 5.49, 8],
    ['gr-cola-12', 'Cola 12 x 355 ml', 4800, 3.6, 6.99, 8],
    ['gr-rice-5kg', 'Long-grain rice 5 kg', 5050, 4.8, 8.99, 8],
    ['gr-olive-oil', 'Olive oil 1 L', 1350, 5.2, 9.99, 24],
    ['gr-pbutter', 'Peanut butter 1.13 kg', 1250, 3.1, 5.99, 24],
    ['gr-snack-nuts', 'Mixed nuts 1.13 kg', 1200, 7.2, 12.99, 20],
    ['gr-pasta-penne', 'Penne 1 kg', 1010, 0.9, 1.99, 40],
    ['gr-coffee-beans', 'Whole bean coffee 907 g', 960, 8.4, 14.99, 24],
    ['gr-tomato-can', 'Crushed tomatoes 794 g', 870, 0.8, 1.79, 48],
    ['gr-cereal-corn', 'Corn flakes 680 g', 730, 1.9, 4.49, 24],
    ['gr-coffee-pods', 'Coffee pods, 48 count', 620, 13.5, 24.99, 18],
    ['gr-cereal-oat', 'Oat cereal 510 g', 560, 1.6, 3.99, 30],
    ['gr-beans-can', 'Black beans 439 g', 480, 0.5, 1.19, 60],
    ['gr-chips', 'Tortilla chips 368 g', 400, 1.7, 3.99, 20],
    ['gr-granola-bars', 'Granola bars, 12 count', 320, 2.4, 4.99, 36],
  ],
  household: [
    ['hh-detergent', 'Laundry detergent 2.95 L', 3250, 6.1, 11.99, 10],
    ['hh-bleach', 'Bleach 2.4 L', 2600, 2.1, 4.49, 12],
    ['hh-softener', 'Fabric softener 1.53 L', 1680, 3.2, 6.49, 14],
    ['hh-toilet-12', 'Toilet paper, 12 rolls', 1650, 5.8, 11.49, 6],
    ['hh-paper-towel-6', 'Paper towels, 6 rolls', 1400, 6.2, 12.99, 6],
    ['hh-storage-bin', 'Storage bin 30 L with lid', 1400, 4.5, 12.99, 4],
    ['hh-dish-tabs', 'Dishwasher tablets, 62 count', 1300, 8.9, 16.99, 16],
    ['hh-laundry-pods', 'Laundry pods, 42 count', 1150, 7.4, 13.99, 16],
    ['hh-all-purpose', 'All-purpose cleaner 946 ml', 1050, 1.9, 4.29, 24],
    ['hh-trash-bags', 'Trash bags 50 L, 40 count', 980, 4.1, 8.99, 20],
    ['hh-dish-soap', 'Dish soap 828 ml', 920, 1.7, 3.79, 30],
    ['hh-tissue-4', 'Facial tissues, 4 boxes', 720, 3.1, 6.49, 10],
    ['hh-foil', 'Aluminium foil 75 sq ft', 620, 2.6, 5.49, 30],
    ['hh-zip-bags', 'Zipper storage bags, 60 count', 410, 2.2, 4.99, 36],
    ['hh-led-bulbs', 'LED bulbs A19, 4-pack', 260, 4.9, 11.99, 30],
    ['hh-sponges', 'Scrub sponges, 6-pack', 150, 1.8, 4.99, 40],
  ],
  health: [
    ['hb-diapers', 'Diapers size 4, 58 count', 2100, 13.5, 24.99, 4],
    ['hb-hand-soap', 'Hand soap refill 1 L', 1100, 2.4, 5.49, 24],
    ['hb-conditioner', 'Conditioner 750 ml', 830, 3.1, 7.99, 30],
    ['hb-shampoo', 'Shampoo 750 ml', 820, 3.1, 7.99, 30],
    ['hb-body-wash', 'Body wash 650 ml', 720, 2.9, 6.99, 30],
    ['hb-lotion', 'Body lotion 600 ml', 680, 3.8, 8.99, 30],
    ['hb-vitamins', 'Multivitamin, 200 count', 380, 5.9, 14.99, 48],
    ['hb-toothpaste-2', 'Toothpaste, twin pack', 330, 2.6, 5.99, 48],
    ['hb-sunscreen', 'Sunscreen SPF 50, 236 ml', 280, 4.6, 10.99, 48],
    ['hb-bandages', 'Adhesive bandages, 100 count', 140, 2.1, 5.99, 60],
    ['hb-pain-relief', 'Pain reliever, 100 count', 120, 3.4, 9.99, 72],
    ['hb-deodorant', 'Deodorant stick 76 g', 110, 2.1, 5.49, 72],
    ['hb-toothbrush-4', 'Toothbrushes, 4-pack', 110, 2.2, 5.49, 60],
    ['hb-cotton-pads', 'Cotton pads, 100 count', 90, 0.9, 2.99, 60],
  ],
  toys: [
    ['ty-board-game', 'Family board game', 1300, 9.5, 24.99, 10],
    ['ty-play-dough', 'Modelling dough, 10-pack', 1250, 4.3, 9.99, 16],
    ['ty-art-kit', 'Art and craft kit', 1200, 8.4, 19.99, 10],
    ['ty-bricks-500', 'Building bricks set, 500 pieces', 1100, 14, 34.99, 8],
    ['ty-rc-car', 'Remote-control car', 980, 12, 29.99, 6],
    ['ty-foam-blaster', 'Foam dart blaster', 850, 9.8, 24.99, 6],
    ['ty-puzzle-1000', 'Jigsaw puzzle, 1000 pieces', 700, 5.2, 14.99, 16],
    ['ty-doll', 'Fashion doll with accessories', 420, 6.5, 16.99, 12],
    ['ty-ball', 'Playground ball 22 cm', 420, 1.6, 4.99, 12],
    ['ty-plush-bear', 'Plush bear 30 cm', 350, 4.1, 12.99, 10],
    ['ty-die-cast-5', 'Die-cast cars, 5-pack', 260, 2.9, 6.99, 30],
    ['ty-card-game', 'Card game', 180, 3.1, 8.99, 48],
  ],
  electronics: [
    ['el-copy-paper', 'Copy paper, 500 sheets', 2300, 3.4, 7.99, 10],
    ['el-power-strip', 'Surge protector, 6 outlets', 650, 6.8, 17.99, 16],
    ['el-aa-24', 'AA batteries, 24-pack', 580, 7.2, 17.99, 40],
    ['el-aaa-16', 'AAA batteries, 16-pack', 220, 5.4, 13.99, 50],
    ['el-mouse', 'Wireless mouse', 180, 5.6, 19.99, 36],
    ['el-hdmi-cable', 'HDMI cable 2 m', 160, 2.4, 11.99, 60],
    ['el-wall-charger', 'USB wall charger 20 W', 120, 4.9, 19.99, 60],
    ['el-usb-c-cable', 'USB-C cable 2 m', 90, 2.8, 12.99, 80],
    ['el-ink-black', 'Ink cartridge, black', 90, 12.5, 29.99, 60],
    ['el-phone-case', 'Phone case, clear', 70, 1.9, 14.99, 80],
    ['el-earbuds-wired', 'Wired earbuds', 60, 2.1, 9.99, 80],
  ],
  pet: [
    ['pt-cat-litter', 'Clumping cat litter 9 kg', 9100, 5.1, 11.99, 2],
    ['pt-dog-food', 'Dry dog food 6.8 kg', 6900, 11.5, 21.99, 3],
    ['pt-cat-food', 'Dry cat food 3.2 kg', 3250, 7.4, 14.99, 6],
    ['pt-wet-cat-12', 'Wet cat food, 12 cans', 1100, 6.0, 11.99, 16],
    ['pt-dog-treats', 'Dog treats 680 g', 720, 5.3, 11.49, 20],
    ['pt-chew-toy', 'Dog chew toy', 240, 2.5, 8.99, 24],
  ],
  seasonal: [
    ['se-planter', 'Ceramic planter 25 cm', 2100, 5.2, 14.99, 4],
    ['se-candle', 'Three-wick scented candle', 1050, 4.8, 14.99, 12],
    ['se-patio-cushion', 'Patio seat cushion', 900, 6.4, 19.99, 4],
    ['se-cooler-bag', 'Soft cooler bag, 24 cans', 700, 7.9, 24.99, 6],
    ['se-seed-kit', 'Seed starter kit', 640, 3.9, 9.99, 10],
    ['se-string-lights', 'LED string lights 10 m', 380, 5.5, 16.99, 16],
  ],
  // Kept in the locked cage: small, dear, and what shrink reports say walks out first.
  cage: [
    ['hv-console', 'Handheld game console', 1100, 245, 299, 6],
    ['hv-speaker', 'Bluetooth speaker', 820, 58, 129.99, 8],
    ['hv-tablet', 'Tablet 10.9 in, 64 GB', 720, 290, 449, 8],
    ['hv-headphones', 'Noise-cancelling headphones', 640, 190, 329, 8],
    ['hv-perfume', 'Eau de parfum 100 ml', 480, 48, 125, 18],
    ['hv-action-cam', 'Action camera 4K', 420, 210, 349, 10],
    ['hv-phone', 'Smartphone 128 GB', 390, 410, 599, 12],
    ['hv-smartwatch', 'Smartwatch 44 mm', 310, 185, 279, 16],
    ['hv-whitening', 'Teeth whitening strips, 20 count', 160, 18, 44.99, 36],
    ['hv-earbuds', 'Wireless earbuds, noise-cancelling', 130, 120, 199, 24],
    ['hv-game', 'Video game, new release', 110, 48, 69.99, 40],
    ['hv-ink-xl', 'Ink cartridge XL, colour', 110, 24, 54.99, 40],
    ['hv-razor-blades', 'Razor blade refills, 8 count', 90, 14, 32.99, 48],
  ],
};

/** Every SKU, department by department. */
export const CATALOGUE: readonly CatalogueSku[] = (Object.keys(ROWS) as Department[]).flatMap((department) =>
  ROWS[department].map(([id, name, unitGrams, unitCost, unitPrice, perSlot]) => ({
    id,
    name,
    unitGrams,
    unitCost,
    unitPrice,
    ...(department === 'cage' ? { highValue: true } : {}),
    department,
    perSlot,
  })),
);

export const CATALOGUE_BY_ID: ReadonlyMap<string, CatalogueSku> = new Map(CATALOGUE.map((s) => [s.id, s]));

/** The catalogue entry as the layout file writes it (without the planning fields). */
export function skuJson(s: CatalogueSku): SkuJson {
  const { department: _d, perSlot: _p, ...sku } = s;
  return sku;
}

/** Units of `sku` in one slot when its level is split `slotsOnLevel` ways (at least 1). */
export function slotCapacity(sku: CatalogueSku, slotsOnLevel: number): number {
  return Math.max(1, Math.round((sku.perSlot * 2) / slotsOnLevel));
}
