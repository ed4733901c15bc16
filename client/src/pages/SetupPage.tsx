import type { SessionInfo, SetupStatus } from '@accord/shared'
import { useEffect, useState } from 'react'
import { api } from '../api/client'
import { AffiliationField, FormError, TextField } from '../components/Field'
import { useFormSubmit } from '../components/useFormSubmit'
import { navigate } from '../router'
import { useSession } from '../session'

/** The one-time page that creates the first admin, reached through the link the server printed. */
export function SetupPage({ token }: { token: string }) {
  const { setUser } = useSession()
  const [needed, setNeeded] = useState<boolean | null>(null)

  useEffect(() => {
    api.get<SetupStatus>('/setup').then(
      (status) => setNeeded(status.needed),
      () => setNeeded(false),
    )
  }, [])

  const { onSubmit, error, busy } = useFormSubmit(async (form) => {
    if (form.get('password') !== form.get('confirm')) throw new Error('The two passwords do not match.')
    const session = await api.post<SessionInfo>('/setup', {
      token,
      username: form.get('username'),
      displayName: form.get('displayName'),
      affiliation: form.get('affiliation'),
      password: form.get('password'),
    })
    setUser(session.user)
    navigate('/', { replace: true })
  })

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-card__brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <span>Accord</span>
        </div>
        {needed === null && <p className="muted">Checking this setup link…</p>}
        {needed === false && (
          <>
            <h1>Setup is done</h1>
            <p>This Accord already has an administrator, or the setup link has expired.</p>
            <button type="button" className="button button--primary button--block" onClick={() => navigate('/')}>
              Go to sign in
            </button>
          </>
        )}
        {needed && (
          <form onSubmit={onSubmit} aria-labelledby="setup-title">
            <h1 id="setup-title">Welcome to Accord</h1>
            <p className="muted">Create the first administrator account. You can add the rest of the committee next.</p>
            <TextField label="Your name" name="displayName" autoComplete="name" required maxLength={80} autoFocus />
            <TextField
              label="Username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              required
              pattern="[A-Za-z0-9][A-Za-z0-9._\-]{1,39}"
              hint="2 to 40 letters, digits, dots, dashes or underscores."
            />
            <AffiliationField defaultValue="district-staff" />
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              hint="At least 10 characters."
            />
            <TextField label="Confirm password" name="confirm" type="password" autoComplete="new-password" required />
            <FormError message={error} />
            <button type="submit" className="button button--primary button--block" disabled={busy}>
              {busy ? 'Creating…' : 'Create administrator'}
            </button>
          </form>
        )}
      </div>
    </main>
  )
}
