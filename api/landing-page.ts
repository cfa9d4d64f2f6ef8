/** A plain page at / until the web UI lands: what this is and where to go. */
export function landingPage(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>优创 Youchuang</title>
<style>body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1f2933}code{background:#f0f4f8;padding:.1rem .3rem;border-radius:3px}</style>
</head>
<body>
<h1>优创 · 互联网优质内容创作者扶持案件管理</h1>
<p>Youchuang runs the cases of Shanghai's support programmes for content creators. This build serves the API; the web UI is on its way.</p>
<ul>
<li><a href="/openapi.json">OpenAPI 接口说明 (openapi.json)</a></li>
<li><a href="/api/health">系统状态 (health)</a></li>
<li><a href="/api/loans/chuying/schedule?principalFen=50000000&amp;disbursedOn=2026-01-31">雏鹰计划还款计划示例</a></li>
</ul>
<p>Sign in with <code>POST /api/auth/login</code>; the demo accounts are printed by <code>npm start</code>.</p>
</body>
</html>`;
}
