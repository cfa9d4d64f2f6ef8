import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Headers every answer carries. `no-store` because a sign-in answer carries a token and case reads
 * show personal data in clear: no browser or proxy cache may keep either. `nosniff` so that no
 * answer is ever run as a script or a page it is not labelled as.
 */
export const PROTECTIVE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

export function installProtectiveHeaders(app: FastifyInstance): void {
  // Only a JSON parser: text/plain (which Fastify parses by default) or any other type is a 415, not a 400 from the schema.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (_request, reply, payload) => {
    // The web UI's own pages set their caching (no-cache, revalidated); everything else is no-store.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', PROTECTIVE_HEADERS['cache-control']);
    reply.header('x-content-type-options', PROTECTIVE_HEADERS['x-content-type-options']);
    return payload;
  });
}

/**
 * For a concrete path, the methods the API serves at it (`Allow`), or undefined where it serves
 * none. Fastify answers GET routes' HEAD itself. A path with a slash added is not served (the router
 * does not take it): 404, not a 405 that said 不接受 GET 请求，只接受 GET, HEAD.
 */
export function methodsServedAt(routes: readonly { method: string; url: string }[]): (path: string) => string | undefined {
  const byPattern = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const r of routes) {
    const entry = byPattern.get(r.url) ?? { pattern: new RegExp(`^${r.url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`), methods: new Set<string>() };
    entry.methods.add(r.method);
    if (r.method === 'GET') entry.methods.add('HEAD');
    byPattern.set(r.url, entry);
  }
  return (path) => {
    const methods = new Set<string>();
    for (const { pattern, methods: served } of byPattern.values()) if (pattern.test(path)) for (const m of served) methods.add(m);
    return methods.size ? [...methods].sort().join(', ') : undefined;
  };
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; error: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', error: 'headers-too-large', message: '请求头过大，服务器不予处理。' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', error: 'request-timeout', message: '请求没有在规定时间内传完：请检查 content-length 是否大于实际发送的内容。' },
  // A file name in Chinese sent as it is in ?name=… (an outsider's upload was told to check content-length).
  HPE_INVALID_URL: {
    status: 400,
    reason: 'Bad Request',
    error: 'validation',
    message: '请求地址含有不允许的字符：地址中的中文等字符（例如 ?name= 后的文件名）须先进行百分号编码（encodeURIComponent；用 curl 上传时写 --url-query name=文件名，不要用 --data-urlencode，它会把文件内容换掉）再发送。',
  },
};

/**
 * Node's HTTP parser refuses some requests before Fastify sees them: bytes after a body shorter than
 * its content-length said, a malformed request line. Fastify's default answers those in its own
 * shape; this answers in the API's `{ error, message }`, with the same protective headers.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const known = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    reason: 'Bad Request',
    error: 'validation',
    message: '请求不是格式正确的 HTTP/1.1 请求：请检查 content-length 是否与实际发送的内容一致，地址中的中文等字符是否已进行百分号编码。',
  };
  const body = JSON.stringify({ error: known.error, code: known.error, message: known.message });
  socket.end(
    `HTTP/1.1 ${known.status} ${known.reason}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `cache-control: ${PROTECTIVE_HEADERS['cache-control']}\r\nx-content-type-options: ${PROTECTIVE_HEADERS['x-content-type-options']}\r\n\r\n${body}`,
  );
}
