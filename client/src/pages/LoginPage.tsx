import { FormError, TextField } from '../components/Field'
import { useFormSubmit } from '../components/useFormSubmit'
import { useSession } from '../session'

export function LoginPage() {
  const { signIn } = useSession()
  const { onSubmit, error, busy } = useFormSubmit((form) =>
    signIn(String(form.get('username')), String(form.get('password'))),
  )

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={onSubmit} aria-labelledby="login-title">
        <div className="auth-card__brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <span>Accord</span>
        </div>
        <h1 id="login-title">Sign in</h1>
        <p className="muted">Draft agreements together, in the open.</p>
        <TextField label="Username" name="username" autoComplete="username" autoCapitalize="none" required autoFocus />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        <FormError message={error} />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="field__hint">Accounts are created by your site administrator.</p>
      </form>
    </main>
  )
}
