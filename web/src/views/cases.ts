import { get } from '../api.js';
import { h, mount } from '../dom.js';
import { takeFlash } from '../flash.js';
import type { SignedInAccount } from '../session.js';
import { caseTable, type WorklistItem } from '../worklist.js';

/** An applicant's own cases; for an official or auditor, every case. */
export async function casesPage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): Promise<void> {
  const applicant = account?.role === 'applicant';
  const { cases } = await get<{ cases: WorklistItem[] }>(`/api/worklist?view=all&limit=200`);
  mount(
    main,
    h('h1', {}, applicant ? '我的办件' : '全部案件'),
    takeFlash(),
    applicant
      ? h(
          'p',
          { class: 'actions-row' },
          h('a', { class: 'button primary', href: '#/apply/chuying-loan' }, '申请雏鹰借款'),
          h('a', { class: 'button', href: '#/apply/drama-planning-filing' }, '微短剧规划备案'),
          h('a', { class: 'button', href: '#/apply/drama-release-filing' }, '完成片上线备案'),
          h('a', { class: 'button', href: '#/catalogue' }, '查看政策与资格自查'),
        )
      : null,
    cases.length === 0
      ? h('p', { class: 'empty' }, applicant ? '您还没有办件。可以从政策目录开始，先做资格自查。' : '还没有案件。')
      : caseTable(cases, { caption: applicant ? `共 ${cases.length} 件，最新的在前。期限按工作日倒计时，“暂定”表示所在年度的节假日安排尚未公布。` : `共 ${cases.length} 件，最新的在前`, showApplicant: !applicant }),
  );
}
