// Screenshots of the console for the README: starts the real server on a fresh embedded database with the demo,
// signs in as a demo account in Chromium and saves each page at 1440 px (and 390 px where asked) under docs/.
// Usage: tsx scripts/screenshots.ts   (needs /usr/bin/chromium and fonts-noto-cjk)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PASSWORD = 'Hami@2026??';

/** Page, demo account, file name, and a selector to wait for. */
const SHOTS: { path: string; user: string; file: string; waitFor: string; phone?: boolean }[] = [
  { path: '/catalogue', user: 'admin', file: 'docs/screenshot-sharing.png', waitFor: 'main', phone: true },
  { path: '/exchange/stats', user: 'admin', file: 'docs/screenshot-exchange.png', waitFor: 'canvas' },
  // 数字社区 (issue 8): the registry, the statistics, targeted notices, and the grid worker's phone
  { path: '/community/residents', user: 'admin', file: 'docs/screenshot-community.png', waitFor: '.ant-table-row' },
  { path: '/census', user: 'admin', file: 'docs/screenshot-community-census.png', waitFor: 'canvas' },
  { path: '/notices', user: 'admin', file: 'docs/screenshot-community-notices.png', waitFor: 'main' },
  { path: '/gridwork/area', user: 'grid.worker', file: 'docs/screenshot-community-gridwork.png', waitFor: 'main', phone: true },
  // 行政审批与电子监察 (issue 9): the counter's workbench, supervised matters with their warnings, the published ranking
  { path: '/approval/cases?scope=department', user: 'rsj.staff', file: 'docs/screenshot-approval.png', waitFor: 'main', phone: true },
  { path: '/matters', user: 'jiwei', file: 'docs/screenshot-approval-matters.png', waitFor: '.ant-table-row' },
  { path: '/evaluation/ranking', user: 'jiwei', file: 'docs/screenshot-approval-ranking.png', waitFor: 'main' },
];
/** SHOTS_ONLY=community: only the shots whose file name contains it (the others' PNGs stay as committed). */
const only = process.env.SHOTS_ONLY;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-shots-'));
const config = { ...loadConfig({ GOVCLOUD_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', GOVCLOUD_ADMIN_SECOND_FACTOR: 'false', LOG_LEVEL: 'silent' }) };
const server = await startServer(config);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  for (const shot of SHOTS.filter((s) => !only || s.file.includes(only))) {
    for (const width of shot.phone ? [1440, 390] : [1440]) {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width, height: width > 400 ? 1000 : 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('用户名', { exact: true }).fill(shot.user);
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
      await page.locator('button[type=submit]').click();
      await page.waitForURL((url) => url.pathname !== '/login');
      await page.goto(shot.path);
      await page.waitForSelector(shot.waitFor);
      await page.waitForTimeout(1500);
      const file = width === 1440 ? shot.file : shot.file.replace(/\.png$/, '-390.png');
      await page.screenshot({ path: path.join(ROOT, file), fullPage: width !== 1440 });
      process.stdout.write(`${file}\n`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
