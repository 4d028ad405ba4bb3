// The HTML cost report as its reader sees it: opened from disk in a real (headless) chromium with
// no network, its charts drawn with a size, every table filled, nothing refused or failing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { AWS_PRICES, htmlReport } from '../../../server/engines/cost';
import { simulatedReportData } from './simulate';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const folder = mkdtempSync(join(tmpdir(), 'neurolake-report-'));
after(() => rmSync(folder, { recursive: true, force: true }));

describe('the HTML cost report in a browser', { skip: existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM} (npm test installs it)` }, () => {
  it('opens offline with every chart drawn and every table filled, and no error or refused load', async () => {
    const data = simulatedReportData();
    const file = join(folder, 'cost.html');
    writeFileSync(file, htmlReport(data));

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'], timeout: 30_000 });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      // A self-contained report fetches nothing: any request beyond the file itself is a fault.
      page.on('request', (request) => {
        if (request.url() !== pathToFileURL(file).href) problems.push(`requested ${request.url()}`);
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      assert.match(await page.title(), /NeuroLake cost report/);
      const charts = await page.locator('svg').evaluateAll((svgs) => svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, marks: svg.querySelectorAll('path, rect, circle, polyline, line').length };
      }));
      assert.equal(charts.length, 5, 'daily cost, forecast, models, savings, capacity curve');
      for (const chart of charts) {
        assert.ok(chart.width > 100 && chart.height > 50, `a chart drawn ${chart.width}×${chart.height} px`);
        assert.ok(chart.marks > 0, 'a chart with nothing in it');
      }
      const emptyTables = await page.locator('table').evaluateAll((tables) => tables.filter((table) => table.querySelectorAll('tbody tr, tr td').length === 0).length);
      assert.equal(emptyTables, 0, 'every table has rows');
      assert.match(await page.locator('body').innerText(), new RegExp(`as of ${AWS_PRICES.asOf}`));
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});
