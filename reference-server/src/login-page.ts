function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The login form of login mode: a plain POST of username and password (fields named for scripts). */
export function renderLoginPage(action: string, error?: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Vigil target — sign in</title></head>
<body>
<h1>Sign in</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
</body></html>`;
}
