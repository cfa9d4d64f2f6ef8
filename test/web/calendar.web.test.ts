import { describe, expect, it } from 'vitest';
import { browserSuite, screenshotOnFailure, stepShots } from './browser.js';

/**
 * The working calendar's page: a year not yet published is 暂定; the administrator loads it as the
 * State Council's notice gives it, a run of days a line, is told at the field what a line gets
 * wrong; a second administrator reads what it changes and approves it, and the year then counts as
 * official, its days listed in words. Officials read it.
 */
const suite = browserSuite();
const { signedIn } = suite;

describe('the working calendar page', () => {
  it('an administrator loads a provisional year from runs of dates; the page then shows it official, in words', async () => {
    screenshotOnFailure(() => suite.pages(), 'calendar');
    const shot = stepShots('calendar');
    const next = new Date().getUTCFullYear() + 2;
    const before = await suite.harness.app.inject({ method: 'GET', url: `/api/calendar/${next}` });
    expect(before.json<{ official: boolean }>().official, `${next} is not published yet`).toBe(false);

    const admin = await signedIn('admin');
    await admin.getByRole('link', { name: '工作日历' }).click();
    await admin.getByRole('heading', { level: 1, name: '工作日历' }).waitFor();
    await admin.goto(`${suite.base}#/calendar?year=${next}`);
    const year = admin.getByRole('region', { name: `${next} 年` });
    await year.getByText('暂定', { exact: true }).waitFor();
    // Until published, the fixed-date holidays count; those on weekdays are listed.
    const fixedOnWeekdays = before.json<{ nonWorkingDays: string[] }>().nonWorkingDays.filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
    expect(fixedOnWeekdays.length).toBeGreaterThan(0);
    const [, month, day] = fixedOnWeekdays[0]!.split('-').map(Number);
    await year.getByText('尚未公布。暂按固定日期的节日计算').waitFor();
    await year.locator('li').filter({ hasText: `${next}年${month}月${day}日` }).first().waitFor();
    await shot(admin, 'provisional');

    const form = admin.getByRole('form', { name: `导入 ${next} 年安排` });
    await form.getByLabel('所依据的通知').fill('国务院办公厅关于测试年度部分节假日安排的通知');
    await form.getByLabel('放假日').fill(`${next}-01-01 至 ${next}-01-03\n${next}-10-07 至 ${next}-10-01\n${next}-05-01 ~ ${next}-05-05\n五一`);
    // A Monday typed as a 调休 working day: told in the same round as the lines, not after they are put right.
    const monday = Array.from({ length: 7 }, (_, i) => `${next}-02-0${i + 1}`).find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1)!;
    await form.getByLabel('调休上班日').fill(monday);
    await form.getByRole('button', { name: '提出导入' }).click();
    const errors = form.locator('[data-field="holidays"] .field-error');
    await errors.getByText(`放假日第 2 行“${next}-10-07 至 ${next}-10-01”的结束日期早于开始日期`).waitFor();
    await errors.getByText('放假日第 4 行“五一”应为一个日期或一段日期').waitFor();
    await form.locator('[data-field="makeUpWorkdays"] .field-error').getByText(`${next}年2月${Number(monday.slice(-2))}日是星期一：调休上班日只能是星期六或星期日`).waitFor();
    // While a holiday line is unread, no statutory day is called missing (it may be on that line).
    expect(await form.getByText('缺少').count()).toBe(0);
    await shot(admin, 'lines-refused');
    await form.getByLabel('调休上班日').fill('');

    // A date that does not exist is the server's to name.
    await form.getByLabel('放假日').fill(`${next}-01-01 至 ${next}-01-03\n${next}-02-30`);
    await form.getByRole('button', { name: '提出导入' }).click();
    await form.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await errors.getByText(`“${next}-02-30”不是真实存在的日期`).waitFor();
    // So is a day the law fixes by date, left out.
    await errors.getByText(`缺少国庆节${next}年10月1日、${next}年10月2日、${next}年10月3日`).waitFor();
    await shot(admin, 'statutory-missing');

    await form.getByLabel('放假日').fill(`${next}-01-01 至 ${next}-01-03\n${next}-05-01 ~ ${next}-05-05\n${next}-10-01 至 ${next}-10-07`);
    await form.getByLabel('说明').fill('测试用安排（非官方）');
    await form.getByRole('button', { name: '提出导入' }).click();
    await form.getByRole('group').getByText('提交后须另一位管理员批准才生效').waitFor();
    await form.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await admin.locator('.notice-ok').getByText(`已提出 ${next} 年安排的调整，须另一位管理员批准后生效`).waitFor();
    // Proposed is not loaded: the year stays 暂定, and its proposer cannot approve it.
    await admin.getByRole('region', { name: `${next} 年` }).getByText('暂定', { exact: true }).waitFor();
    const waiting = admin.getByRole('region', { name: `${next} 年安排的调整` });
    await waiting.getByText('由您提出：须另一位管理员核对通知后批准').waitFor();
    expect(await waiting.getByRole('button', { name: '批准' }).count()).toBe(0);
    expect((await suite.harness.app.inject({ method: 'GET', url: `/api/calendar/${next}` })).json<{ official: boolean }>().official).toBe(false);
    await shot(admin, 'proposed');

    // The second administrator reads what it changes, against the notice it cites, and approves it.
    const second = await signedIn('second-admin');
    await second.goto(`${suite.base}#/calendar?year=${next}`);
    const proposal = second.getByRole('region', { name: `${next} 年安排的调整` });
    await proposal.getByText('依据：国务院办公厅关于测试年度部分节假日安排的通知').waitFor();
    await proposal.getByText(`新增放假日：${next}年1月1日至1月3日、${next}年5月1日至5月5日、${next}年10月1日至10月7日`).waitFor();
    await shot(second, 'proposal-to-approve');
    await proposal.getByRole('button', { name: '批准' }).click();
    await proposal.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await second.locator('.notice-ok').getByText(`已批准 ${next} 年安排（第 1 版），立即生效`).waitFor();
    const loaded = second.getByRole('region', { name: `${next} 年` });
    await loaded.getByText('官方', { exact: true }).waitFor();
    await loaded.getByText(`${next}年1月1日至1月3日`).waitFor();
    await loaded.getByText(`${next}年5月1日至5月5日`).waitFor();
    await loaded.getByText('系统管理员提出、安全管理员批准').waitFor();
    await loaded.getByText('说明：测试用安排（非官方）').waitFor();
    // The form shows what is stored, a run a line, for the next correction.
    expect(await second.getByRole('form', { name: `导入 ${next} 年安排` }).getByLabel('放假日').inputValue()).toBe(`${next}-01-01 至 ${next}-01-03\n${next}-05-01 至 ${next}-05-05\n${next}-10-01 至 ${next}-10-07`);
    await shot(second, 'loaded');

    // Correcting a loaded year says, before it is proposed, what it does to deadlines already counted through it.
    const correction = second.getByRole('form', { name: `导入 ${next} 年安排` });
    await correction.getByLabel('放假日').fill(`${next}-01-01 至 ${next}-01-03\n${next}-05-01 至 ${next}-05-05\n${next}-06-08\n${next}-10-01 至 ${next}-10-07`);
    await correction.getByLabel('所依据的通知').fill('国务院办公厅关于测试年度部分节假日安排的通知（更正）');
    await correction.getByRole('button', { name: '提出修改' }).click();
    await correction.getByRole('group').getByText('已确定的期限只会推后，不会提前').waitFor();
    await shot(second, 'correction-confirm');
    await correction.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await second.locator('.notice-ok').getByText(`已提出 ${next} 年安排的调整`).waitFor();
    // This time the first administrator approves what the second proposed.
    await admin.reload();
    const correctionWaiting = admin.getByRole('region', { name: `${next} 年安排的调整` });
    await correctionWaiting.getByText(`新增放假日：${next}年6月8日`).waitFor();
    await correctionWaiting.getByRole('button', { name: '批准' }).click();
    await correctionWaiting.getByRole('group').getByRole('button', { name: '确认', exact: true }).click();
    await admin.locator('.notice-ok').getByText(`已批准 ${next} 年安排（第 2 版）`).waitFor();
    await admin.getByRole('region', { name: `${next} 年` }).getByText(`${next}年6月8日`).waitFor();

    const after = await suite.harness.app.inject({ method: 'GET', url: `/api/calendar/${next}` });
    expect(after.json<{ official: boolean; holidays: string[] }>()).toMatchObject({ official: true, holidays: [`${next}-01-01`, `${next}-01-02`, `${next}-01-03`, `${next}-05-01`, `${next}-05-02`, `${next}-05-03`, `${next}-05-04`, `${next}-05-05`, `${next}-06-08`, ...[1, 2, 3, 4, 5, 6, 7].map((day) => `${next}-10-0${day}`)] });

    // An official reads the year; only an administrator changes it.
    const official = await signedIn('xuhui-reviewer');
    await official.goto(`${suite.base}#/calendar?year=${next}`);
    await official.getByRole('region', { name: `${next} 年` }).getByText('官方', { exact: true }).waitFor();
    expect(await official.getByRole('form').count()).toBe(0);
  });
});
