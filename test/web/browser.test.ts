import { describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';

describe('the browser tests without a browser', () => {
  it('fail at once with what to install, instead of hanging', async () => {
    const started = Date.now();
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(/no Chromium at \/nonexistent\/chromium: .*apt-get install chromium.*CHROMIUM_PATH/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
