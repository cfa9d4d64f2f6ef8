import { authHeaders, signOut } from './session.js';

export interface FieldIssue {
  field: string;
  message: string;
}

/** A refusal from the API, as it said it: status, code, message and one message per field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

let onSignedOut: () => void = () => {};
/** What to do when the API says the session is gone (401, or a stale CSRF token): the app shows the sign-in page. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** The API answers in Chinese; this UI asks for it whatever language the browser prefers. */
const LANGUAGE = { 'accept-language': 'zh-CN' };

/** A request that got no answer (offline, the server unreachable): status 0, said in Chinese, never the browser's "Failed to fetch". */
export const NETWORK_FAILURE = '网络连接失败，没有连上服务器。请检查网络后重试。';

/** What to say of a failed answer that carries no message of its own (a proxy's error page). */
function statusText(status: number): string {
  if (status >= 500) return `服务器暂时出了问题（错误代码 ${status}），请稍后重试。`;
  if (status === 404) return '找不到要访问的内容，可能已被删除或地址有误。';
  if (status === 403) return '您没有办理这项事务的权限。';
  return `请求没有被接受（错误代码 ${status}）。`;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...LANGUAGE, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...authHeaders(), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', NETWORK_FAILURE);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text().catch(() => {
    throw new ApiError(0, 'network', NETWORK_FAILURE);
  });
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const problem = (json ?? {}) as { error?: string; message?: string; issues?: FieldIssue[] };
    // 401: the session ended (expired, or signed out in another tab: the server revoked it for every
    // tab). 403 csrf: the cookie now carries another session than the one this tab kept (signed in
    // again elsewhere), so this tab's CSRF token is stale and its account may not be the cookie's.
    const sessionGone = (response.status === 401 || (response.status === 403 && problem.error === 'csrf')) && path !== '/api/auth/login';
    if (sessionGone) {
      signOut();
      onSignedOut();
    }
    throw new ApiError(response.status, problem.error ?? 'error', problem.message ?? statusText(response.status), problem.issues ?? []);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}, headers?: Record<string, string>) => api<T>('POST', path, body, headers);

/** The API's own description of itself, to find endpoints that land after this UI was written. */
let openApi: Promise<{ paths: Record<string, Record<string, unknown>> }> | undefined;
export function apiPaths(): Promise<string[]> {
  openApi ??= get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
  return openApi.then((doc) => Object.keys(doc.paths)).catch(() => []);
}
