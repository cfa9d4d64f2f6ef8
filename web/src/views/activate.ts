import { post } from '../api.js';
import { h, mount, notice } from '../dom.js';
import { apiForm, field, LocalIssues, valueOf } from '../forms.js';

/**
 * Where the link an administrator handed over leads (#/activate?username=…&code=…): the account's
 * holder sets their own password with the one-time code. The code lives in the URL's fragment,
 * which never reaches a server; it is taken out of the address bar (and so out of the history)
 * as soon as the page has read it.
 */
export function activatePage(main: HTMLElement): void {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const username = query.get('username') ?? '';
  const code = query.get('code') ?? '';
  if (code) history.replaceState(null, '', `#/activate${username ? `?username=${encodeURIComponent(username)}` : ''}`);

  const form = apiForm({
    label: '设置密码',
    submitText: '设置密码',
    fields: [
      field({ name: 'username', label: '用户名', required: true, value: username, attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' } }),
      field({ name: 'code', label: '一次性登录码', required: true, value: code, hint: '管理员交给您的登录码（72 小时内有效，只能使用一次）', attrs: { autocomplete: 'one-time-code', spellcheck: 'false' } }),
      field({ name: 'newPassword', label: '新密码', type: 'password', required: true, hint: '至少 12 个字符，不含用户名，不用常见或重复的字符；只有您本人知道，管理员也不知道', attrs: { autocomplete: 'new-password', minlength: '12' } }),
      field({ name: 'confirmPassword', label: '再次输入新密码', type: 'password', required: true, attrs: { autocomplete: 'new-password' } }),
    ],
    async action(f) {
      if (valueOf(f, 'newPassword') !== valueOf(f, 'confirmPassword')) {
        throw new LocalIssues('两次输入的密码不一致', [{ field: 'confirmPassword', message: '与新密码不一致：请重新输入' }]);
      }
      const done = await post<{ canSignIn: boolean; message: string }>('/api/auth/activate', {
        username: valueOf(f, 'username'),
        code: valueOf(f, 'code'),
        newPassword: valueOf(f, 'newPassword'),
      });
      mount(main, h('h1', { tabindex: -1 }, '密码已设置'), notice(done.canSignIn ? 'ok' : 'info', done.message), h('p', {}, h('a', { href: '#/login', class: 'button primary' }, '去登录')));
    },
  });
  mount(
    main,
    h('h1', { tabindex: -1 }, '设置密码'),
    notice('info', '请用管理员交给您的一次性登录码设置您自己的密码；设置后登录码即失效。'),
    h('div', { class: 'card narrow' }, form),
  );
}
