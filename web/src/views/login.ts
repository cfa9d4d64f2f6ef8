import { post } from '../api.js';
import { h, mount, notice } from '../dom.js';
import { apiForm, field, valueOf } from '../forms.js';
import { homeOf } from '../nav.js';
import { currentAccount, discardDrafts, signIn, signOut, type SignedInAccount } from '../session.js';

const DEMO = [
  ['creator', '申请人：上海星河文化传媒有限公司'],
  ['fund-reviewer', '杨浦区 V聚场基金：材料审查、放款、还款登记'],
  ['cac-reviewer', '市委网信办：内容合规审查'],
  ['fund-approver', '杨浦区 V聚场基金：评审决策'],
  ['fund-supervisor', '杨浦区 V聚场基金：分管领导（差评跟进）'],
  ['fund-director', '杨浦区 V聚场基金：负责人（延长办理时限、撤销资助决定）'],
  ['filing-reviewer', '市文旅局：微短剧备案审查'],
  ['filing-supervisor', '市文旅局：分管领导（超期上报）'],
  ['huangpu-reviewer', '黄浦区：材料审查、评审打分'],
  ['auditor', '审计（只读）'],
];

/** Set when the API ended this tab's session (401): the sign-in page then says so, once. */
export const SESSION_ENDED = 'youchuang.session-ended';

export function loginPage(main: HTMLElement): void {
  const ended = sessionStorage.getItem(SESSION_ENDED) !== null;
  sessionStorage.removeItem(SESSION_ENDED);
  const form = apiForm({
    label: '登录',
    submitText: '登录',
    fields: [
      field({ name: 'username', label: '用户名', required: true, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } }),
      field({ name: 'password', label: '密码', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    ],
    async action(f) {
      const login = await post<{ token: string; expiresAt: string; account: SignedInAccount }>('/api/auth/login', { username: valueOf(f, 'username'), password: valueOf(f, 'password') });
      signIn(login);
      const next = sessionStorage.getItem('youchuang.after-login');
      sessionStorage.removeItem('youchuang.after-login');
      location.hash = next && next !== '#/login' ? next : homeOf(login.account);
    },
  });
  mount(
    main,
    h('h1', {}, '登录'),
    ended ? notice('info', '您的登录已结束：已在其他窗口退出，或登录已过期。请重新登录，登录后回到刚才的页面。') : null,
    currentAccount() ? h('p', {}, `您已以 ${currentAccount()!.displayName} 的身份登录；再次登录将切换账号。`) : null,
    h('div', { class: 'card narrow' }, form),
    h(
      'details',
      { class: 'card narrow demo-accounts' },
      h('summary', {}, '演示账号（密码均为 ', h('code', {}, 'youchuang-demo'), '）'),
      h('ul', {}, ...DEMO.map(([user, what]) => h('li', {}, h('code', {}, user), ' — ', what))),
      h('p', { class: 'muted small' }, '各区、各部门的其他演示账号见启动命令 ', h('code', {}, 'npm start'), ' 的输出。'),
    ),
  );
}

/**
 * Ends the session on the server, for every tab at once (the others are answered 401 on their next
 * request, and show the sign-in page); this tab forgets it and the drafts typed in it.
 */
export async function signOutNow(): Promise<void> {
  try {
    await post('/api/auth/logout');
  } catch {
    // Signed out on this side whatever the server answers.
  }
  signOut();
  discardDrafts();
  sessionStorage.removeItem('youchuang.after-login');
  location.hash = '#/login';
}
