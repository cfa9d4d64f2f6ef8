import { describe, expect, it } from 'vitest';
import { ageOn, birthDateOf } from '../../domain/personal-data/identity.js';
import type { Page } from 'playwright-core';
import { validApplication } from '../support/api-harness.js';
import { chineseDate, shanghaiDateOf } from '../../domain/time/local-date.js';
import { axeViolations, browserSuite, checkPage, fillInSteps, latinWordsOn, screenshotOnFailure, stepShots, takeLatinSeen, type LatinFinding } from './browser.js';

/**
 * Every error at once, and failures that say what to do (issue 15): the GOV.UK error summary with a
 * link to each field, messages that name their field, a failed request said beside its button with
 * 重试; the menu marks where a case was opened from; each page its own title. And the checks every
 * journey page passes (no Latin word, no axe violation) are shown to catch what they are for.
 */
const suite = browserSuite();
const { signedIn } = suite;

const focused = (page: Page) => page.evaluate<string | null>('document.activeElement?.getAttribute("name") ?? document.activeElement?.className ?? null');
const current = (page: Page) => page.locator('#site-header nav a[aria-current="page"]');

describe('forms and failures in the browser', () => {
  it('an empty filing step lists every problem of the step at once in a linked summary, each message naming its field, on a laptop and a phone', async () => {
    screenshotOnFailure(() => suite.pages(), 'forms-summary');
    const shot = stepShots('forms-summary');
    for (const phone of [false, true]) {
      const creator = await signedIn('creator', { phone });
      await creator.goto(`${suite.base}#/apply/drama-planning-filing`);
      await creator.getByLabel('制作机构').fill('');
      await creator.getByRole('button', { name: '继续' }).click();
      const summary = creator.locator('.error-summary');
      await summary.waitFor();
      await expect.poll(() => focused(creator)).toContain('error-summary');
      expect(await summary.getByRole('heading').innerText()).toBe('有 4 处需要修改');
      expect(await creator.title()).toBe('错误：微短剧规划备案 · 优创');
      expect(await summary.getByRole('link').allInnerTexts()).toEqual(['请填写剧名', '请填写制作机构', '请填写集数', '请填写单集时长']);
      // The same message at the field, which is marked invalid.
      expect(await creator.locator('[data-field="filing.producer"] .field-error').innerText()).toContain('请填写制作机构');
      expect(await creator.getByLabel('制作机构').getAttribute('aria-invalid')).toBe('true');
      await shot(creator, phone ? 'summary-phone' : 'summary-laptop');
      // A link moves focus to its field, and leaves the address (the page) as it was.
      const address = creator.url();
      await summary.getByRole('link', { name: '请填写制作机构' }).click();
      expect(await focused(creator)).toBe('filing.producer');
      expect(creator.url()).toBe(address);

      // Fixed in part: the summary lists what is still wrong, and only that.
      await creator.getByLabel('剧名').fill('弄堂里的AI');
      await creator.getByLabel('制作机构').fill('上海星河文化传媒有限公司');
      await creator.getByLabel('集数').fill('二十四');
      await creator.getByLabel('单集时长（分钟）').fill('2.5');
      await creator.getByRole('button', { name: '继续' }).click();
      await summary.getByRole('heading', { name: '有 1 处需要修改' }).waitFor();
      expect(await summary.getByRole('link').allInnerTexts()).toEqual(['集数须为 1 到 10,000 的整数']);
      expect(await creator.getByLabel('制作机构').getAttribute('aria-invalid')).toBeNull();
      expect(await creator.title()).toBe('错误：微短剧规划备案 · 优创');
      // The endpoint's limits at the step, not only after 确认提交: 0 集 and a length of -1 minutes.
      await creator.getByLabel('集数').fill('0');
      await creator.getByLabel('单集时长（分钟）').fill('-1');
      await creator.getByRole('button', { name: '继续' }).click();
      await summary.getByRole('heading', { name: '有 2 处需要修改' }).waitFor();
      expect(await summary.getByRole('link').allInnerTexts()).toEqual(['集数须为 1 到 10,000 的整数', '单集时长须为 0.5 到 600 分钟，最多一位小数，例如 2.5']);
      // "１，５" meant 1.5 and was read as 15: a comma that groups no thousands is refused at the step.
      await creator.getByLabel('集数').fill('24');
      await creator.getByLabel('单集时长（分钟）').fill('１，５');
      await creator.getByRole('button', { name: '继续' }).click();
      await summary.getByRole('heading', { name: '有 1 处需要修改' }).waitFor();
      expect(await summary.getByRole('link').allInnerTexts()).toEqual(['单集时长须为 0.5 到 600 分钟，最多一位小数，例如 2.5']);
      await creator.getByLabel('单集时长（分钟）').fill('2.5');

      // The next step's problems, at once, when it is left empty.
      await creator.getByLabel('集数').fill('24');
      await creator.getByRole('button', { name: '继续' }).click();
      await creator.locator('.step-progress').filter({ hasText: '第 2 步，共 3 步' }).waitFor();
      expect(await summary.count()).toBe(0);
      await creator.getByRole('button', { name: '继续' }).click();
      await summary.getByRole('heading', { name: '有 2 处需要修改' }).waitFor();
      expect(await summary.getByRole('link').allInnerTexts()).toEqual(['请填写播出平台', '请填写剧情梗概']);
      expect(await creator.getByLabel('播出平台').getAttribute('aria-invalid')).toBe('true');
    }
  }, 120_000);

  it('an amount of 0 on an award’s step is told at the step, as -1 is, not after 确认提交', async () => {
    // An outside tester's 申请金额 0 and 实际研发投入 0 passed 继续 and were refused only at 确认提交 (the endpoint takes amounts above 0).
    screenshotOnFailure(() => suite.pages(), 'forms-zero-amount');
    const shot = stepShots('forms-zero-amount');
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/programme/drama-agent-project`);
    await creator.getByLabel('申请事项').fill('剧本智能体');
    await creator.getByLabel('情况说明').fill('辅助编剧的智能体');
    await creator.getByRole('button', { name: '继续' }).click();
    await creator.locator('.step-progress').filter({ hasText: '第 2 步' }).waitFor();
    // Only the kinds the measure is for (an outsider's company was offered all nine, 个人创作者 among them).
    const offered = await creator.getByLabel('申请主体类型').locator('option').allInnerTexts();
    expect(offered).toEqual(['请选择', '企业', '平台企业', '微短剧制作方']);
    // The measure's required facts are marked and asked at the step: an outside tester passed 继续 with them empty and was told only at 确认提交.
    await creator.getByRole('button', { name: '继续' }).click();
    await creator.locator('.error-summary').getByRole('heading', { name: /^有 \d+ 处需要修改$/ }).waitFor();
    expect(await creator.locator('[data-field="facts.applicantKind"] .field-error').innerText()).toContain('请选择申请主体类型');
    expect(await creator.locator('[data-field="facts.requestedAmountFen"] .field-error').innerText()).toContain('请填写申请金额');
    expect(await creator.locator('[data-field="facts.applicantKind"] [required]').count()).toBe(1);
    await creator.locator('.step-progress').filter({ hasText: '第 2 步' }).waitFor();
    await creator.getByLabel('申请主体类型').selectOption('company');
    await creator.getByLabel('项目或作品编号').fill('agent-0001');
    await creator.getByLabel('申请金额（元）').fill('0');
    await creator.getByLabel('实际研发投入（元）').fill('0');
    await creator.getByRole('button', { name: '继续' }).click();
    const summary = creator.locator('.error-summary');
    await summary.getByRole('heading', { name: '有 2 处需要修改' }).waitFor();
    expect(await creator.locator('[data-field="facts.requestedAmountFen"] .field-error').innerText()).toContain('金额须大于 0');
    expect(await creator.locator('[data-field="facts.rdSpendFen"] .field-error').innerText()).toContain('金额须大于 0');
    await creator.locator('.step-progress').filter({ hasText: '第 2 步' }).waitFor();
    await shot(creator, 'zero-at-the-step');
    // Above 0, the step lets them through.
    await creator.getByLabel('申请金额（元）').fill('100000');
    await creator.getByLabel('实际研发投入（元）').fill('500000');
    await creator.getByRole('button', { name: '继续' }).click();
    await creator.locator('.step-progress').filter({ hasText: '第 3 步' }).waitFor();
  }, 120_000);

  it('whole numbers and decimals typed with full-width digits, points and commas are taken, as amounts are', async () => {
    // An outside tester's 集数 "８０" was told 集数须为 1 到 10,000 的整数, 单集时长 "２.５" and 年龄 "１５" 请填写整数,
    // while an amount of "１，０００，０００．５０" was taken.
    screenshotOnFailure(() => suite.pages(), 'forms-full-width');
    const shot = stepShots('forms-full-width');
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/drama-planning-filing`);
    await fillInSteps(creator, { 剧名: '全角之城', 集数: '８０', '单集时长（分钟）': '２．５', 播出平台: '抖音', 剧情梗概: '键盘打出了全角数字' });
    await creator.getByRole('heading', { level: 1, name: '备案已提交' }).waitFor();
    const api = await suite.harness.as('creator');
    const [filed] = (await api('GET', `/api/worklist?view=all&q=${encodeURIComponent('全角之城')}`)).json<{ cases: { caseId: string }[] }>().cases;
    expect((await api('GET', `/api/cases/${filed!.caseId}`)).json()).toMatchObject({ filing: { episodeCount: 80, episodeLengthMinutes: 2.5 } });

    const person = await signedIn('individual-creator');
    await person.goto(`${suite.base}#/apply/programme/hu9-all-media-operator-certification`);
    await person.getByLabel('申请事项').fill('全媒体运营师');
    await person.getByLabel('情况说明').fill('申请等级认定');
    await person.getByRole('button', { name: '继续' }).click();
    await person.getByLabel('申请主体类型').selectOption('individual-creator');
    await person.getByLabel('年龄（周岁）').fill('２５');
    // The measure verifies who applies: its form asks the 身份证号 too (not judged against the age until 确认提交).
    await person.getByLabel('身份证号').fill('11010519491231002X');
    await person.getByRole('button', { name: '继续' }).click();
    await person.locator('.step-progress').filter({ hasText: '第 3 步' }).waitFor();
    expect(await person.locator('.error-summary').count()).toBe(0);
    await shot(person, 'age-taken');
  }, 120_000);

  /** 继续 through the steps left, to 核对信息 (where 继续 is no more); a form has at most four steps. */
  const onToCheck = async (page: Page) => {
    const next = page.getByRole('button', { name: '继续' });
    const progress = page.locator('.step-progress');
    for (let step = 0; step < 4 && (await next.isVisible()); step++) {
      const before = await progress.textContent();
      await next.click();
      // A step's check answers after the click: until then 继续 is still there (disabled), and a second click would wait on a button about to be hidden.
      await expect.poll(async () => (await page.locator('form[aria-busy="true"]').count()) === 0 && (await progress.textContent()) !== before).toBe(true);
    }
  };

  it('a measure that verifies who applies asks the 身份证号 on its form, tells a wrong one at its field in Chinese, and is submitted with it', async () => {
    // An outside tester could not apply for 落户, 职称 or 全媒体运营师 at all: the form had no 身份证号, and
    // 确认提交 answered "有 1 处需要修改 · required for this programme".
    screenshotOnFailure(() => suite.pages(), 'forms-id-number');
    const shot = stepShots('forms-id-number');
    const person = await signedIn('individual-creator', { phone: true });
    await person.goto(`${suite.base}#/apply/programme/hu9-all-media-operator-certification`);
    await person.getByLabel('申请事项').fill('全媒体运营师');
    await person.getByLabel('情况说明').fill('申请等级认定');
    await person.getByRole('button', { name: '继续' }).click();
    await person.getByLabel('申请主体类型').selectOption('individual-creator');
    await person.getByLabel('年龄（周岁）').fill(String(ageOn(birthDateOf('11010519491231002X'), shanghaiDateOf(Date.now()))));
    const idNumber = person.getByLabel('身份证号');
    expect(await person.locator('[data-field="personalData.idNumber"] .hint').innerText()).toContain('加密保存');
    await idNumber.fill('11010519491231002');
    await onToCheck(person);
    await person.getByRole('button', { name: '确认提交' }).click();
    const summary = person.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).not.toMatch(/[A-Za-z]{4,}/);
    await summary.getByRole('link').first().click();
    expect(await person.locator('[data-field="personalData.idNumber"] .field-error').innerText()).toMatch(/身份证号/);
    await shot(person, 'id-number-refused');
    await idNumber.fill('11010519491231002X');
    await onToCheck(person);
    await person.getByRole('button', { name: '确认提交' }).click();
    await person.getByRole('heading', { name: '申请已提交' }).waitFor();
    await shot(person, 'submitted');
  }, 120_000);

  it('a count of 0 where there must be at least one (参训人数) is told at the step, as the endpoint tells it, not after 确认提交', async () => {
    // An outside tester's 参训人数 0 passed 继续 on step 2: 0 trainees makes no sense for a training course.
    screenshotOnFailure(() => suite.pages(), 'forms-zero-count');
    const shot = stepShots('forms-zero-count');
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/programme/drama-training-course`);
    await creator.getByLabel('申请事项').fill('微短剧编剧培训');
    await creator.getByLabel('情况说明').fill('面向新人编剧的课程');
    await creator.getByRole('button', { name: '继续' }).click();
    await creator.locator('.step-progress').filter({ hasText: '第 2 步' }).waitFor();
    await creator.getByLabel('申请主体类型').selectOption('company');
    await creator.getByLabel('项目或作品编号').fill('course-0001');
    await creator.getByLabel('申请金额（元）').fill('100000');
    await creator.getByLabel('参训人数').fill('0');
    await creator.getByRole('button', { name: '继续' }).click();
    const summary = creator.locator('.error-summary');
    await summary.getByRole('heading', { name: '有 1 处需要修改' }).waitFor();
    expect(await summary.getByRole('link').allInnerTexts()).toEqual(['参训人数至少 1 人']);
    expect(await creator.locator('[data-field="facts.trainees"] .field-error').innerText()).toContain('参训人数至少 1 人');
    await creator.locator('.step-progress').filter({ hasText: '第 2 步' }).waitFor();
    await shot(creator, 'zero-at-the-step');
    // One trainee and more, the step lets them through.
    await creator.getByLabel('参训人数').fill('30');
    await creator.getByRole('button', { name: '继续' }).click();
    await creator.locator('.step-progress').filter({ hasText: '第 3 步' }).waitFor();
  }, 120_000);

  it('a subsidy paid monthly asks the whole period’s amount, and says so at the field (杨浦人才租房补贴)', async () => {
    screenshotOnFailure(() => suite.pages(), 'forms-monthly-amount');
    const person = await signedIn('individual-creator', { phone: true });
    await person.goto(`${suite.base}#/apply/programme/yangpu-talent-rent`);
    await person.getByLabel('申请事项').waitFor();
    await person.getByLabel('申请事项').fill('人才租房补贴');
    await person.getByLabel('情况说明').fill('在杨浦租房');
    await person.getByRole('button', { name: '继续', exact: true }).click();
    const amount = person.locator('[data-field="facts.requestedAmountFen"]');
    await amount.waitFor();
    expect(await amount.locator('.hint').innerText()).toBe('按月发放：请填写整个补贴期的合计金额，不是每月金额（每月最高 8,000.00 元，最多 36 个月，合计最高 288,000.00 元）');
    await checkPage(person);
  });

  it('YOUNG人才公寓 asks 入住日期 on a 390 px phone: a day already past is told at its field, and the case page shows the day', async () => {
    // The 2 stays a year were counted by the day applied, not the stay's: a December application for January counted against December's year.
    screenshotOnFailure(() => suite.pages(), 'forms-stay-start');
    const shot = stepShots('forms-stay-start');
    const person = await signedIn('individual-creator', { phone: true });
    await person.goto(`${suite.base}#/apply/programme/yangpu-talent-apartment`);
    await person.getByLabel('申请事项').waitFor();
    const yesterday = shanghaiDateOf(Date.now() - 86_400_000);
    // Next 1 January: next year's, and always within the year ahead a stay may be applied for.
    const nextJanuary = `${Number(shanghaiDateOf(new Date()).slice(0, 4)) + 1}-01-01`;
    const refusal = `入住日期${chineseDate(yesterday)}早于申请之日（${chineseDate(shanghaiDateOf(new Date()))}）：请填写尚未开始的入住`;
    // Told at the step, on 继续 (it was told only after 确认提交), with the stay over the measure's 5 days beside it.
    await expect(fillInSteps(person, { 申请事项: '参加杨浦滨江创作者大会', 情况说明: '大会期间入住人才公寓', 申请主体类型: 'individual-creator', 本次入住天数: '6', 入住日期: yesterday })).rejects.toThrow(refusal);
    const summary = person.locator('.error-summary');
    expect(await summary.getByRole('link').allInnerTexts()).toEqual([refusal, '本次入住天数：每次入住 1 至 5 天；申请入住 6 天']);
    await person.locator('.step-progress').filter({ hasText: '第 2 步' }).waitFor();
    await person.getByLabel('本次入住天数').fill('3');
    // The summary's link leads to the field on its step, where the same words stand.
    await summary.getByRole('link', { name: refusal }).click();
    const stayStart = person.locator('[data-field="facts.stayStartDate"]');
    await stayStart.locator('.field-error').waitFor();
    expect(await stayStart.locator('.field-error').innerText()).toContain('早于申请之日');
    const box = (await stayStart.boundingBox())!;
    expect(box.x + box.width, '入住日期 reaches past the 390 px window').toBeLessThanOrEqual(390);
    await shot(person, 'past-day-at-the-field');
    await person.getByLabel('入住日期').fill(nextJanuary);
    await fillInSteps(person, {});
    await person.waitForURL(/#\/submitted\//);
    const caseId = person.url().split('#/submitted/')[1]!;
    await person.goto(`${suite.base}#/cases/${caseId}`);
    const [year, month, day] = nextJanuary.split('-').map(Number);
    const row = person.locator('tr').filter({ hasText: '入住日期' });
    await row.waitFor();
    expect(await row.innerText()).toContain(`${year}年${month}月${day}日`);
    await checkPage(person);
    await shot(person, 'case-page');
  }, 120_000);

  it('a request that gets no answer, or a server failure, is said beside its button with 重试, which sends it again', async () => {
    screenshotOnFailure(() => suite.pages(), 'forms-retry');
    const shot = stepShots('forms-retry');
    const creator = await signedIn('creator');
    await creator.goto(`${suite.base}#/apply/drama-planning-filing`);
    await fillInSteps(creator, { 剧名: '重试之城', 集数: '12', '单集时长（分钟）': '3', 播出平台: '抖音', 剧情梗概: '网络断了又连上' }, { submit: false });

    // The network fails: nothing reached the server.
    await creator.route('**/api/cases/drama-planning-filing', (route) => route.abort('internetdisconnected'));
    const button = creator.getByRole('button', { name: '确认提交' });
    await button.click();
    const failure = creator.locator('.form-actions .request-failure');
    await failure.getByText('网络连接失败').waitFor();
    expect(await creator.locator('.error-summary').count()).toBe(0);
    expect(await focused(creator)).toContain('retry');
    await shot(creator, 'network-failure-beside-button');

    // The server fails (500): its own Chinese message, beside the button again.
    await creator.unroute('**/api/cases/drama-planning-filing');
    await creator.route('**/api/cases/drama-planning-filing', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'internal', message: '系统出了问题，已记录下来；您填写的内容没有丢失，请稍后重试。' }) }),
    );
    await failure.getByRole('button', { name: '重试' }).click();
    await failure.getByText('系统出了问题').waitFor();
    // A proxy's error page, which says nothing in JSON: the status in words, never "HTTP 502".
    await creator.unroute('**/api/cases/drama-planning-filing');
    await creator.route('**/api/cases/drama-planning-filing', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' }));
    await failure.getByRole('button', { name: '重试' }).click();
    await failure.getByText('服务器暂时出了问题（错误代码 502）').waitFor();
    await checkPage(creator);

    // 重试 once the server answers: filed, once.
    await creator.unroute('**/api/cases/drama-planning-filing');
    await failure.getByRole('button', { name: '重试' }).click();
    await creator.getByRole('heading', { level: 1, name: '备案已提交' }).waitFor();
    const mine = await (await suite.harness.as('creator'))('GET', '/api/worklist?view=all&q=%E9%87%8D%E8%AF%95%E4%B9%8B%E5%9F%8E');
    expect(mine.json<{ total: number }>().total).toBe(1);
  }, 120_000);

  it('a page that could not be loaded offers 重试', async () => {
    screenshotOnFailure(() => suite.pages(), 'forms-page-retry');
    const reviewer = await signedIn('fund-reviewer');
    const worklist = (url: URL) => url.pathname === '/api/worklist';
    await reviewer.route(worklist, (route) => route.abort('connectionrefused'));
    await reviewer.goto(`${suite.base}#/cases`);
    await reviewer.getByRole('heading', { level: 1, name: '无法打开' }).waitFor();
    await reviewer.getByText('网络连接失败').waitFor();
    expect(await latinWordsOn(reviewer)).toEqual([]);
    await reviewer.unroute(worklist);
    await reviewer.getByRole('button', { name: '重试' }).click();
    await reviewer.getByRole('heading', { level: 1, name: '全部案件' }).waitFor();
  });

  it('a case link that finds no case says so plainly, without the link’s id, whether the case is missing or another’s', async () => {
    screenshotOnFailure(() => suite.pages(), 'forms-case-not-found');
    const theirs = (await (await suite.harness.as('creator'))('POST', '/api/cases/chuying-loan', validApplication())).json<{ caseId: string }>().caseId;
    const other = await signedIn('other-creator');
    for (const caseId of ['00000000-0000-4000-8000-00000000beef', theirs]) {
      await other.goto(`${suite.base}#/cases/${caseId}`);
      await other.getByRole('heading', { level: 1, name: '无法打开' }).waitFor();
      await other.getByText('找不到这件办件，请检查链接或回到列表。').waitFor();
      expect(await other.locator('main').innerText()).not.toContain(caseId);
      await checkPage(other);
    }
  });

  it('the menu marks the list a case was opened from; back goes to that list; each page has its own title', async () => {
    screenshotOnFailure(() => suite.pages(), 'forms-navigation');
    const shot = stepShots('navigation');
    const opened = await (await suite.harness.as('creator'))('POST', '/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId, referenceNo } = opened.json<{ caseId: string; referenceNo: string }>();
    const reviewer = await signedIn('fund-reviewer');
    const titles = new Set<string>();

    await reviewer.goto(`${suite.base}#/queue`);
    await reviewer.locator(`tr[data-case="${caseId}"] a`).first().click();
    await reviewer.getByRole('heading', { level: 1, name: new RegExp(referenceNo) }).waitFor();
    expect(await current(reviewer).innerText()).toBe('待办队列');
    expect(await reviewer.locator('.breadcrumb a').innerText()).toBe('← 待办队列');
    expect(await reviewer.title()).toContain(referenceNo);
    titles.add(await reviewer.title());
    await shot(reviewer, 'case-from-queue');
    // A reload is the same page, opened from the same list.
    await reviewer.reload();
    await reviewer.getByRole('heading', { level: 1, name: new RegExp(referenceNo) }).waitFor();
    expect(await current(reviewer).innerText()).toBe('待办队列');

    await reviewer.goto(`${suite.base}#/cases?q=${encodeURIComponent(referenceNo)}`);
    await reviewer.getByRole('heading', { level: 1, name: '全部案件' }).waitFor();
    titles.add(await reviewer.title());
    await reviewer.locator(`tr[data-case="${caseId}"] a`).first().click();
    await reviewer.getByRole('heading', { level: 1, name: new RegExp(referenceNo) }).waitFor();
    expect(await current(reviewer).innerText()).toBe('全部案件');
    // Back to the list as it was searched.
    await reviewer.locator('.breadcrumb a', { hasText: '← 全部案件' }).click();
    await reviewer.getByRole('heading', { level: 1, name: '全部案件' }).waitFor();
    expect(decodeURIComponent(reviewer.url())).toContain(`#/cases?q=${referenceNo}`);
    // Back and forward keep what each history entry was opened from.
    await reviewer.goBack();
    await reviewer.getByRole('heading', { level: 1, name: new RegExp(referenceNo) }).waitFor();
    expect(await current(reviewer).innerText()).toBe('全部案件');

    for (const [hash, heading] of [['#/queue', /待办队列/], ['#/inbox', /消息/], ['#/dashboard', /数据看板/], ['#/calls', /申报批次/], ['#/publicity', /公示/]] as const) {
      await reviewer.goto(`${suite.base}${hash}`);
      await reviewer.getByRole('heading', { level: 1, name: heading }).first().waitFor();
      titles.add(await reviewer.title());
    }
    // Seven pages, seven titles; none is only the site's name.
    expect(titles.size).toBe(7);
    for (const title of titles) expect(title).toMatch(/^.+ · .*优创/);
  }, 120_000);

  it('the checks every journey page passes catch what they are for: English words, and an axe violation', async () => {
    const page = await suite.visitor();
    await page.goto(`${suite.base}#/progress`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await latinWordsOn(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend',
      '<p id="probe">requested 600,000.00 exceeds the cap · 雏鹰 V聚场 AI 营业执照.pdf CY-2026-000001 <code>creator</code></p><img src="/favicon.svg">')`);
    expect((await latinWordsOn(page)).map((f) => f.word)).toEqual(['requested', 'exceeds', 'the', 'cap']);
    expect((await axeViolations(page)).join('\n')).toMatch(/^image-alt/m);
    await page.evaluate(`document.getElementById('probe').textContent = 'awaiting-supplement'`);
    expect((await latinWordsOn(page)).map((f) => f.word)).toEqual(['awaiting-supplement']);
    // The watcher saw both as they appeared; taken here, so that the probe is not charged to the app.
    const seen: LatinFinding[] = [];
    await expect.poll(() => {
      seen.push(...takeLatinSeen());
      return seen.map((f) => f.word);
    }).toEqual(expect.arrayContaining(['requested', 'cap', 'awaiting-supplement']));
  });
});
