/** The page behind /login: explains how to get in, and takes a pasted token as a fallback. */
const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function loginPage(message?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Berth</title>
<style>
  body{font:15px/1.5 system-ui,sans-serif;background:#0f1419;color:#e6e9ee;display:grid;place-items:center;min-height:100vh;margin:0}
  main{max-width:28rem;padding:2rem;background:#171d24;border:1px solid #2a323c;border-radius:12px}
  h1{margin:0 0 .5rem;font-size:1.3rem} code{background:#0f1419;padding:.1rem .3rem;border-radius:4px}
  .msg{color:#ffb4a8} input{width:100%;box-sizing:border-box;padding:.5rem;border-radius:6px;border:1px solid #2a323c;background:#0f1419;color:inherit}
  button{margin-top:.75rem;padding:.5rem 1rem;border:0;border-radius:6px;background:#2f81f7;color:#fff;font-weight:600;cursor:pointer}
</style></head>
<body><main>
<h1>Sign in to Berth</h1>
${message ? `<p class="msg">${escape(message)}</p>` : ''}
<p>Open the login link that <code>berth serve</code> printed, or run <code>berth login-url</code> on the machine running Berth for a new one.</p>
<form method="post" action="/login">
  <label for="token">Or paste the API token (<code>berth token</code>):</label>
  <input id="token" name="token" type="password" autocomplete="off" required>
  <button type="submit">Sign in</button>
</form>
</main></body></html>`;
}
