// The set-up most demo end-to-end suites share: the real demo (`demo/start.ts`: the shop and the built-in
// sandbox) and one Chromium for the whole suite, each student in a fresh browser profile, everything closed
// after the suite. Call it inside a `describe`: it registers the suite's `before` and `after`.
import { after, before } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { startDemo, type RunningDemo } from './processes.js';

export interface DemoInChromium {
  /** The shop's and the sandbox's addresses, once the suite's `before` has run. */
  readonly shopUrl: string;
  readonly sandboxUrl: string;
  readonly demo: RunningDemo;
  /** A fresh browser profile (its own cookies), closed after the suite. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A new student: a fresh profile on the shop's home page, so a fresh visitor and fresh orders. */
  newStudent(): Promise<Page>;
}

export function useDemoInChromium(env: Record<string, string> = {}): DemoInChromium {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  before(async () => {
    demo = await startDemo(env);
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await demo?.stop();
  });

  const running = () => {
    if (!demo || !browser) throw new Error('useDemoInChromium: the demo is not started (use it inside a describe, in a test)');
    return { demo, browser };
  };
  const session: DemoInChromium = {
    get shopUrl() {
      return running().demo.shopUrl;
    },
    get sandboxUrl() {
      return running().demo.sandboxUrl;
    },
    get demo() {
      return running().demo;
    },
    async newContext(options) {
      const context = await running().browser.newContext(options);
      contexts.push(context);
      return context;
    },
    async newStudent() {
      const page = await (await session.newContext()).newPage();
      await page.goto(`${session.shopUrl}/`);
      return page;
    },
  };
  return session;
}
