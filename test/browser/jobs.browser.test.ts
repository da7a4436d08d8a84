// The jobs page at 1440 px and at 390 px: states with counts, a failed job's error, and its retry button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { uniq } from '../support/factories.ts';
import { AuditService } from '../../src/modules/audit/index.ts';
import { JobsService } from '../../src/modules/jobs/index.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

async function failedJob(name: string): Promise<string> {
  const { db } = await testDb();
  const jobs = new JobsService(db, new AuditService(db), systemClock);
  const id = (await jobs.enqueue(name, {}, { maxAttempts: 1 }))!;
  await jobs.createWorker({ handlers: { [name]: async () => Promise.reject(new Error('网关拒绝')) } }).runOnce();
  return id;
}

describe('jobs page', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`lists a failed job and retries it at ${viewport.width} px`, async () => {
      const name = uniq(`browser${viewport.width}.`);
      const id = await failedJob(name);
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 768 });
      try {
        await fillLogin(page, suite!.server.username, suite!.server.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto(`/jobs`);
        await page.getByTestId('job-name').locator('input').fill(name);
        await page.getByTestId('job-name').locator('input').press('Enter');
        const retry = page.getByTestId(`job-retry-${id}`);
        await retry.waitFor();
        expect(await page.getByTestId('job-table').textContent()).toContain('网关拒绝');
        expect(await page.getByTestId('job-table').textContent()).toContain('失败');
        await retry.click();
        await page.getByText('任务已重新排队').waitFor();
        await page.getByTestId('job-table').getByText('排队中').first().waitFor();
        expect(await retry.count()).toBe(0);
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/jobs-${viewport.width}.png` });
        const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
