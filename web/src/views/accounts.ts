import { DEPARTMENTS, OFFICIAL_DUTIES, type Department, type OfficialDuty } from '../../../domain/cases/actor.js';
import { describeAssignment, DUTY_NAMES, ROLE_NAMES, type AccountRole, type Assignment } from '../../../domain/accounts/assignment.js';
import { api, get, post } from '../api.js';
import { h, mount, notice, uid } from '../dom.js';
import { flash, takeFlash } from '../flash.js';
import { apiForm, checkedOf, field, valueOf } from '../forms.js';
import { dateTimeInWords } from '../format.js';
import type { SignedInAccount } from '../session.js';

interface GrantView {
  grantId: string;
  username: string;
  kind: 'creation' | 'change' | 'reset' | 'enable';
  afterDescribed: string;
  reasons: string[];
  requestedBy: { accountId: string; displayName: string };
  requestedAt: string;
}

interface ApplicantCompany {
  name: string;
  unifiedSocialCreditCode: string;
}

interface AccountView extends Assignment {
  accountId: string;
  company: ApplicantCompany | null;
  username: string;
  displayName: string;
  createdAt: string;
  passwordSet: boolean;
  disabled: { at: string; reason: string | null } | null;
  pendingGrant: GrantView | null;
  /** While wrong passwords lock the username for browsers it has not signed in on (the list only). */
  signInLockedUntil?: string;
  /** While browsers it signed in on before have locked themselves with wrong passwords, each its own (the list only). */
  signInLockedBrowsers?: { count: number; until: string };
}

/** A holder's own browsers locked by their wrong passwords, in words: which is what they see when they call. */
function browsersLocked({ count, until }: { count: number; until: string }): string {
  return `${count === 1 ? '一个浏览器' : `${count} 个浏览器`}登录锁定至 ${dateTimeInWords(until)}`;
}

interface SignIn {
  code: string;
  link: string;
  expiresAt: string;
  note: string;
}

const GRANT_KINDS: Record<GrantView['kind'], string> = { creation: '新建账户', change: '变更角色', reset: '重置密码', enable: '重新启用' };
const ROLES: AccountRole[] = ['applicant', 'official', 'auditor', 'expert', 'admin'];

/**
 * A one-time sign-in code is shown once, on the page that asked for it, and kept nowhere: not in
 * the session's storage (as a flash would be), only in this variable until the next page is drawn.
 */
let revealed: { name: string; username: string; signIn: SignIn } | undefined;

/**
 * #/accounts: an administrator's accounts. Everything that gives an account more than it had (a
 * privileged role, a duty, another department), and the reset or enabling of a privileged account,
 * waits for a second administrator: the grants waiting come first, then the accounts.
 */
export async function accountsPage(main: HTMLElement, _params: string[], me: SignedInAccount | undefined): Promise<void> {
  const search = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const q = search.get('q') ?? '';
  const role = search.get('role') ?? '';
  const [{ accounts }, { grants }] = await Promise.all([get<{ accounts: AccountView[] }>('/api/admin/accounts'), get<{ grants: GrantView[] }>('/api/admin/account-grants')]);
  const reload = () => accountsPage(main, _params, me);
  const shown = accounts.filter((a) => (!role || a.role === role) && (!q || a.username.includes(q.toLowerCase()) || a.displayName.includes(q)));
  const code = revealed;
  revealed = undefined;

  const searchForm = h(
    'form',
    { class: 'search', role: 'search', 'aria-label': '查找账户' },
    field({ name: 'q', label: '查找', value: q, hint: '用户名或显示名' }),
    field({ name: 'role', label: '角色', type: 'select', value: role, options: [{ value: '', label: '全部角色' }, ...ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))] }),
    h('button', { type: 'submit', class: 'button' }, '查找'),
  );
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams({ ...(valueOf(searchForm, 'q') ? { q: valueOf(searchForm, 'q') } : {}), ...(valueOf(searchForm, 'role') ? { role: valueOf(searchForm, 'role') } : {}) }).toString();
    location.hash = `#/accounts${next ? `?${next}` : ''}`;
  });

  mount(
    main,
    h('h1', {}, '账号管理'),
    takeFlash(),
    code ? signInCodeBox(code.name, code.username, code.signIn) : null,
    h(
      'p',
      { class: 'lead' },
      '新建账户不设密码：系统给出一次性登录码，由本人设置密码。授予工作人员、审计、评审专家或管理员角色，增加职责、调换部门，以及重置这些账户的密码或重新启用，都须另一位管理员批准；只减少权限的变更即时生效。管理员不能更改自己的账户。',
    ),
    h(
      'section',
      { 'aria-labelledby': 'grants-title' },
      h('h2', { id: 'grants-title' }, `待批准的授权（${grants.length}）`),
      grants.length === 0 ? h('p', {}, '没有待批准的授权申请。') : grantsTable(grants, nameOf(accounts), me, reload),
    ),
    h('details', { class: 'card' }, h('summary', {}, h('h2', {}, '新建账户')), createForm(reload)),
    h(
      'section',
      { 'aria-labelledby': 'accounts-title' },
      h('h2', { id: 'accounts-title' }, `账户（${shown.length === accounts.length ? accounts.length : `${shown.length} / ${accounts.length}`}）`),
      searchForm,
      shown.length === 0 ? h('p', {}, '没有符合条件的账户。') : accountsTable(shown, me, reload),
    ),
  );
}

function signInCodeBox(name: string, username: string, signIn: SignIn): HTMLElement {
  return h(
    'div',
    { class: 'notice notice-info sign-in-code', role: 'status', 'aria-label': `${name}的一次性登录码` },
    h('p', {}, `${name}（用户名 `, h('code', {}, username), '）的一次性登录码：', h('code', {}, signIn.code)),
    h('p', {}, '设置密码的链接：', h('code', {}, new URL(signIn.link, location.href).href)),
    h('p', {}, `有效至 ${dateTimeInWords(signIn.expiresAt)}。${signIn.note}`),
  );
}

function grantsTable(grants: GrantView[], names: Map<string, string>, me: SignedInAccount | undefined, reload: () => Promise<void>): HTMLElement {
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '账户'), h('th', { scope: 'col' }, '申请'), h('th', { scope: 'col' }, '理由'), h('th', { scope: 'col' }, '提出'), h('th', { scope: 'col' }, '操作'))),
    h(
      'tbody',
      {},
      ...grants.map((g) =>
        h(
          'tr',
          { 'data-grant': g.grantId, 'data-username': g.username },
          h('td', {}, names.get(g.username) ?? '', ' ', h('code', {}, g.username)),
          h('td', {}, `${GRANT_KINDS[g.kind]}：${g.afterDescribed}`),
          h('td', {}, g.reasons.join('；')),
          h('td', {}, `${g.requestedBy.displayName}，${dateTimeInWords(g.requestedAt)}`),
          h('td', {}, grantActions(g, names.get(g.username) ?? '该账户', me, reload)),
        ),
      ),
    ),
  );
}

function grantActions(grant: GrantView, name: string, me: SignedInAccount | undefined, reload: () => Promise<void>): HTMLElement {
  const own = grant.requestedBy.accountId === me?.accountId;
  const forMe = grant.username === me?.username;
  const approve =
    own || forMe
      ? h('p', { class: 'hint' }, own ? '由您提出：须另一位管理员批准。' : '这是您本人账户的申请：须另一位管理员批准。')
      : apiForm({
          label: `批准${name}的授权`,
          submitText: '批准',
          fields: [],
          confirm: { text: `批准后立即生效：${name}，${GRANT_KINDS[grant.kind]}（${grant.afterDescribed}）。确认批准吗？` },
          async action() {
            await post(`/api/admin/account-grants/${grant.grantId}/approve`);
            flash(`已批准：${name}，${GRANT_KINDS[grant.kind]}。`);
            await reload();
          },
        });
  const refuse = apiForm({
    label: `拒绝${name}的授权`,
    submitText: own ? '撤回申请' : '拒绝',
    className: 'danger',
    fields: [field({ name: 'reason', label: own ? '撤回理由' : '拒绝理由', required: true })],
    async action(form) {
      await post(`/api/admin/account-grants/${grant.grantId}/refuse`, { reason: valueOf(form, 'reason') });
      flash(own ? `已撤回对${name}的申请。` : `已拒绝：${name}，${GRANT_KINDS[grant.kind]}。`);
      await reload();
    },
  });
  return h('div', { class: 'grant-actions' }, approve, h('details', {}, h('summary', {}, own ? '撤回' : '拒绝'), refuse));
}

const nameOf = (accounts: AccountView[]) => new Map(accounts.map((a) => [a.username, a.displayName]));

function stateOf(a: AccountView): HTMLElement {
  // A grant waiting says more than the disabled state it keeps the account in (a new privileged account waits disabled).
  if (a.pendingGrant) return h('span', { class: 'tag tag-warn' }, `待批准：${GRANT_KINDS[a.pendingGrant.kind]}`);
  if (a.disabled) return h('span', { class: 'tag tag-danger' }, `已停用${a.disabled.reason ? `（${a.disabled.reason}）` : ''}`);
  if (!a.passwordSet) return h('span', { class: 'tag' }, '未设置密码');
  return h('span', { class: 'tag' }, '正常');
}

function accountsTable(accounts: AccountView[], me: SignedInAccount | undefined, reload: () => Promise<void>): HTMLElement {
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '用户名'), h('th', { scope: 'col' }, '显示名'), h('th', { scope: 'col' }, '角色'), h('th', { scope: 'col' }, '状态'), h('th', { scope: 'col' }, '操作'))),
    h(
      'tbody',
      {},
      ...accounts.map((a) =>
        h(
          'tr',
          { 'data-username': a.username },
          h('td', {}, h('code', {}, a.username)),
          h('td', {}, a.displayName),
          h('td', {}, describeAssignment(a), ...(a.company ? [h('br'), a.company.name, ' ', h('code', {}, a.company.unifiedSocialCreditCode)] : [])),
          h(
            'td',
            {},
            stateOf(a),
            ...(a.signInLockedUntil ? [' ', h('span', { class: 'tag tag-warn', 'data-sign-in-lock': '' }, `登录锁定至 ${dateTimeInWords(a.signInLockedUntil)}`)] : []),
            ...(a.signInLockedBrowsers ? [' ', h('span', { class: 'tag tag-warn', 'data-browser-lock': '' }, browsersLocked(a.signInLockedBrowsers))] : []),
          ),
          h('td', {}, a.username === me?.username ? h('p', { class: 'hint' }, '您本人的账户：由另一位管理员更改。') : accountActions(a, reload)),
        ),
      ),
    ),
  );
}

/**
 * The role, department, duties and applicant kind as one form's fields, each shown only where the
 * role has it; a company applicant's name and 统一社会信用代码 too, from its business licence.
 */
function assignmentFields(current?: Assignment & { company?: ApplicantCompany | null }): HTMLElement[] {
  const role = field({
    name: 'role',
    label: '角色',
    type: 'select',
    required: true,
    value: current?.role ?? '',
    options: [{ value: '', label: '请选择' }, ...ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] }))],
  });
  const department = field({
    name: 'department',
    label: '部门',
    type: 'select',
    value: current?.department ?? '',
    options: [{ value: '', label: '请选择' }, ...(Object.entries(DEPARTMENTS) as [Department, string][]).map(([id, name]) => ({ value: id, label: name }))],
  });
  const errorId = uid('duties-error');
  const duties = h(
    'fieldset',
    { class: 'field', 'data-field': 'duties', 'aria-describedby': errorId },
    h('legend', {}, '职责'),
    h('p', { class: 'field-error', id: errorId, hidden: true }),
    // Plain boxes, not fields of their own: the group has one error line, the duties' one.
    ...OFFICIAL_DUTIES.map((d) => h('label', { class: 'checkbox-line' }, h('input', { type: 'checkbox', name: `duty.${d}`, ...(current?.duties.includes(d) ? { checked: true } : {}) }), ' ', DUTY_NAMES[d])),
  );
  const applicantKind = field({
    name: 'applicantKind',
    label: '申请人类型',
    type: 'select',
    value: current?.applicantKind ?? '',
    options: [
      { value: '', label: '请选择' },
      { value: 'individual', label: '个人创作者' },
      { value: 'company', label: '企业' },
    ],
  });
  const companyName = field({ name: 'company.name', label: '企业名称', value: current?.company?.name ?? '', hint: '与营业执照一致' });
  const companyCode = field({
    name: 'company.unifiedSocialCreditCode',
    label: '统一社会信用代码',
    value: current?.company?.unifiedSocialCreditCode ?? '',
    hint: '18 位，见营业执照。一家企业只有一个申请人账户：其他账户不能用这个代码申请',
  });
  const select = role.querySelector('select')!;
  const kind = applicantKind.querySelector('select')!;
  const show = () => {
    department.hidden = duties.hidden = select.value !== 'official';
    applicantKind.hidden = select.value !== 'applicant';
    companyName.hidden = companyCode.hidden = select.value !== 'applicant' || kind.value !== 'company';
  };
  select.addEventListener('change', show);
  kind.addEventListener('change', show);
  show();
  return [role, department, duties, applicantKind, companyName, companyCode];
}

/** What the assignment fields say, as the API takes it: only the parts the chosen role has. */
function assignmentOfForm(form: HTMLElement): Record<string, unknown> {
  const role = valueOf(form, 'role');
  if (role === 'official') {
    const department = valueOf(form, 'department');
    return { role, ...(department ? { department } : {}), duties: OFFICIAL_DUTIES.filter((d: OfficialDuty) => checkedOf(form, `duty.${d}`)) };
  }
  if (role === 'applicant') {
    const applicantKind = valueOf(form, 'applicantKind');
    const code = valueOf(form, 'company.unifiedSocialCreditCode').trim();
    // A company's name and code go together; left empty, the API says what is missing.
    const company = applicantKind === 'company' && code ? { company: { name: valueOf(form, 'company.name').trim(), unifiedSocialCreditCode: code } } : {};
    return { role, ...(applicantKind ? { applicantKind } : {}), ...company };
  }
  return { role };
}

function createForm(reload: () => Promise<void>): HTMLFormElement {
  return apiForm({
    label: '新建账户',
    submitText: '新建账户',
    fields: [
      field({ name: 'username', label: '用户名', required: true, hint: '小写字母、数字和连字符，2 至 40 个字符；本人用它登录' }),
      field({ name: 'displayName', label: '显示名', required: true, hint: '案件和文书上显示的姓名，如 王审查' }),
      ...assignmentFields(),
    ],
    async action(form) {
      const username = valueOf(form, 'username');
      const created = await post<{ account: AccountView; signIn: SignIn }>('/api/admin/accounts', { username, displayName: valueOf(form, 'displayName'), ...assignmentOfForm(form) });
      const name = created.account.displayName;
      revealed = { name, username, signIn: created.signIn };
      flash(created.account.pendingGrant ? `已新建${name}的账户：${created.account.pendingGrant.reasons.join('；')}，须另一位管理员批准后才能登录。` : `已新建${name}的账户。`);
      await reload();
    },
  });
}

function accountActions(account: AccountView, reload: () => Promise<void>): HTMLElement {
  const change = apiForm({
    label: `更改${account.displayName}的账户`,
    submitText: '保存',
    fields: [field({ name: 'displayName', label: '显示名', required: true, value: account.displayName }), ...assignmentFields(account)],
    async action(form) {
      const answer = await api<{ applied: boolean; grant: GrantView | null }>('PUT', `/api/admin/accounts/${account.username}`, { displayName: valueOf(form, 'displayName'), ...assignmentOfForm(form) });
      flash(answer.grant ? `已提出授权申请：${answer.grant.reasons.join('；')}，须另一位管理员批准后生效。` : answer.applied ? `已更改${account.displayName}的账户。` : '没有改动。');
      await reload();
    },
  });
  const reset = apiForm({
    label: `重置${account.displayName}的密码`,
    submitText: '重置密码',
    fields: [],
    confirm: { text: `重置后${account.displayName}的旧密码立即失效、已登录的会话全部结束，由本人用一次性登录码设置新密码。确认重置吗？` },
    async action() {
      const answer = await post<{ account: AccountView; signIn: SignIn }>(`/api/admin/accounts/${account.username}/reset-password`);
      revealed = { name: account.displayName, username: account.username, signIn: answer.signIn };
      flash(answer.account.pendingGrant ? `已申请重置${account.displayName}的密码：须另一位管理员批准后，登录码才能设置密码。` : `已重置${account.displayName}的密码。`);
      await reload();
    },
  });
  const disableOrEnable = account.disabled
    ? apiForm({
        label: `启用${account.displayName}的账户`,
        submitText: '启用',
        fields: [],
        async action() {
          const answer = await post<{ account: AccountView }>(`/api/admin/accounts/${account.username}/enable`);
          flash(answer.account.pendingGrant ? `已申请重新启用${account.displayName}的账户：须另一位管理员批准。` : `已启用${account.displayName}的账户。`);
          await reload();
        },
      })
    : apiForm({
        label: `停用${account.displayName}的账户`,
        submitText: '停用',
        className: 'danger',
        fields: [field({ name: 'reason', label: '停用理由', required: true, hint: '如：调离、离职' })],
        confirm: { text: `停用后${account.displayName}立即退出、不能登录，直到重新启用${account.role === 'official' ? '；其认领审查中的备案交回待认领，反馈期限不变' : ''}。确认停用吗？` },
        async action(form) {
          await post(`/api/admin/accounts/${account.username}/disable`, { reason: valueOf(form, 'reason') });
          flash(`已停用${account.displayName}的账户。`);
          await reload();
        },
      });
  return h(
    'details',
    {},
    h('summary', {}, '更改、重置密码或停用'),
    h('h3', {}, '更改角色或显示名'),
    change,
    h('h3', {}, '重置密码'),
    account.signInLockedUntil
      ? notice(
          'info',
          `密码多次输错，用户名在未登录过的浏览器上锁定至 ${dateTimeInWords(account.signInLockedUntil)}；本人在以前登录过的浏览器上仍可登录。重置密码后，本人用登录码设置新密码即解除锁定。`,
        )
      : null,
    account.signInLockedBrowsers
      ? notice('info', `本人在以前登录过的浏览器上多次输错密码，${browsersLocked(account.signInLockedBrowsers)}。重置密码后，本人用登录码设置新密码即解除锁定。`)
      : null,
    reset,
    h('h3', {}, account.disabled ? '启用' : '停用'),
    disableOrEnable,
    account.pendingGrant ? notice('info', `有一项待批准的授权（${GRANT_KINDS[account.pendingGrant.kind]}）：批准或拒绝前不能再申请。`) : null,
  );
}
