/**
 * A user's own shelf CNN in the workbench (Layout tab): model.json with its weights and a
 * class map is taken for the frames from then on and named; files that do not make a model
 * are refused with every problem and the model in use stays; *Use the shipped model* goes back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './browser';
import { useWorkbench } from './session';

const ROOT = join(import.meta.dirname, '../..');
const LAYOUT = 'scenarios/layouts/apparel-compact.layout.json';
const session = useWorkbench();
let page: Page;
let errors: string[];

const panel = () => page.locator('tw-layout-panel');
const file = (name: string, buffer: Buffer) => ({ name, mimeType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream', buffer });
const modelJson = () => readFileSync(join(ROOT, 'models/shelf-cnn/model.json'));
const weights = () => readFileSync(join(ROOT, 'models/shelf-cnn/weights.bin'));

describe('the shelf CNN a user picks', () => {
  beforeAll(async () => {
    ({ page, errors } = await openPage(session.browser()));
    await page.goto(`${session.server().url}?layout=/${LAYOUT}&source=none&tab=layout`);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
  });
  afterAll(() => page?.close().catch(() => {}));

  it('takes model.json, its weights and a class map, and names them', async () => {
    expect(await panel().locator('[data-model-source]').innerText()).toContain('the shipped model');
    const classes = Buffer.from(JSON.stringify({ fillOutput: 0, fillLabels: ['empty', 'low', 'half', 'full'], matchOutput: 1, matchIndex: 0 }));
    await panel().locator('input[name=model]').setInputFiles([file('model.json', modelJson()), file('weights.bin', weights()), file('classes.json', classes)]);
    await expect.poll(() => panel().locator('[data-model-source]').innerText()).toContain('your model: model.json, weights.bin, classes.json');
    expect(errors).toEqual([]);
  });

  it('refuses files that do not make a model, listing why, and keeps the model in use', async () => {
    await panel().locator('input[name=model]').setInputFiles([file('model.json', modelJson()), file('classes.json', Buffer.from('{"fillOutput": -1, "colour": 1}'))]);
    const refusal = panel().locator('#problems');
    await expect.poll(() => refusal.count()).toBe(1);
    expect(await refusal.innerText()).toContain('weight files missing: weights.bin');
    expect(await panel().locator('[data-model-source]').innerText()).toContain('your model: model.json, weights.bin, classes.json');
  });

  it('goes back to the shipped model', async () => {
    await panel().getByRole('button', { name: 'Use the shipped model' }).click();
    await expect.poll(() => panel().locator('[data-model-source]').innerText()).toContain('the shipped model');
  });
});
