import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { REPO } from './paths.js';

/** Debian's chromium, driven by playwright-core (never a browser download of its own). */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const CHROMIUM_SKIP = 'chromium is not installed: apt-get install -y chromium';
/** Screenshots the browser tests take, for a person to look at (not committed). */
export const TEST_OUTPUT = join(REPO, 'test-output');

export interface PageVisit {
  errors: string[];
  screenshot: string;
}

/**
 * Opens a local HTML file in headless chromium with the network off, runs `check` on the page, saves a
 * full-page screenshot under test-output/, and returns every console error and page error it saw.
 */
export async function visitInChromium(file: string, name: string, check: (page: Page) => Promise<void>): Promise<PageVisit> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await check(page);
    mkdirSync(TEST_OUTPUT, { recursive: true });
    const screenshot = join(TEST_OUTPUT, `${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    return { errors, screenshot };
  } finally {
    await browser.close();
  }
}
