/**
 * Shown when the server answers 401. The form is a plain POST: the server checks the token,
 * sets the HttpOnly cookie and redirects to `/`, so the token never lives in page script.
 */
export function SignIn() {
  return (
    <div className="sign-in" data-testid="sign-in">
      <form className="card sign-in-card" method="post" action="/login" data-testid="sign-in-form">
        <h1 className="sign-in-title">
          <span aria-hidden="true">⚓</span> Sign in to Berth
        </h1>
        <p>
          Open the login link printed by <code>berth serve</code>, or run <code>berth login-url</code> on the machine running
          Berth.
        </p>
        <p className="muted">Or paste the API token (<code>berth token</code> prints it):</p>
        <label className="field">
          <span className="field-label">API token</span>
          <input
            className="input mono"
            type="password"
            name="token"
            autoComplete="off"
            spellCheck={false}
            required
            data-testid="sign-in-token"
          />
        </label>
        <div className="form-actions">
          <button type="submit" className="button button-primary" data-testid="sign-in-submit">
            Sign in
          </button>
        </div>
      </form>
    </div>
  );
}
