import { AFFILIATION_LABELS, type User } from '@accord/shared'
import { useCallback, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/client'
import { AppHeader } from '../components/AppHeader'
import { Avatar } from '../components/Avatar'
import { Dialog } from '../components/Dialog'
import { AffiliationField, FormError, TextField } from '../components/Field'
import { useFormSubmit } from '../components/useFormSubmit'
import { useUser } from '../session'

/** Site admins manage accounts here: create, reset passwords, deactivate. */
export function AdminPage() {
  const me = useUser()
  const [people, setPeople] = useState<User[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [adding, setAdding] = useState(false)
  const [resetting, setResetting] = useState<User | null>(null)
  const [announcement, setAnnouncement] = useState('')

  const load = useCallback(() => {
    api.get<User[]>('/users').then(setPeople, (failure: unknown) => setError(errorMessage(failure)))
  }, [])
  useEffect(load, [load])

  const setActive = async (person: User, active: boolean) => {
    setError(null)
    try {
      await api.patch(`/users/${person.username}`, { active })
      setAnnouncement(`${person.displayName} is now ${active ? 'active' : 'deactivated'}.`)
      load()
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }

  return (
    <>
      <AppHeader />
      <main className="page" id="main">
        <div className="page__heading">
          <div>
            <h1>People</h1>
            <p className="muted">Accounts on this Accord. Owners add people to their documents.</p>
          </div>
          <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
            Add person
          </button>
        </div>
        <p className="visually-hidden" aria-live="polite">
          {announcement}
        </p>
        {error && (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        {people === null ? (
          <p className="muted">Loading people…</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Username</th>
                  <th scope="col">Affiliation</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {people.map((person) => (
                  <tr key={person.username} className={person.active ? undefined : 'is-inactive'}>
                    <td>
                      <span className="person">
                        <Avatar name={person.displayName} affiliation={person.affiliation} size="small" />
                        {person.displayName}
                      </span>
                    </td>
                    <td>{person.username}</td>
                    <td>{AFFILIATION_LABELS[person.affiliation]}</td>
                    <td>
                      {person.isAdmin && <span className="badge">Admin</span>}{' '}
                      {!person.active && <span className="badge badge--muted">Deactivated</span>}
                    </td>
                    <td className="table__actions">
                      <button type="button" className="button button--small" onClick={() => setResetting(person)}>
                        Reset password
                      </button>
                      {person.username !== me.username && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => void setActive(person, !person.active)}
                        >
                          {person.active ? 'Deactivate' : 'Activate'}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </main>
      <AddPersonDialog
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(person) => {
          setAdding(false)
          setAnnouncement(`Added ${person.displayName}.`)
          load()
        }}
      />
      <ResetPasswordDialog
        person={resetting}
        onClose={() => setResetting(null)}
        onDone={(person) => {
          setResetting(null)
          setAnnouncement(`Set a new password for ${person.displayName}.`)
        }}
      />
    </>
  )
}

function AddPersonDialog({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: (user: User) => void }) {
  const { onSubmit, error, busy } = useFormSubmit(async (form) => {
    const user = await api.post<User>('/users', {
      displayName: form.get('displayName'),
      username: form.get('username'),
      affiliation: form.get('affiliation'),
      password: form.get('password'),
      isAdmin: form.get('isAdmin') === 'on',
    })
    onAdded(user)
  })

  return (
    <Dialog title="Add person" open={open} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <TextField label="Name" name="displayName" required maxLength={80} data-autofocus />
        <TextField label="Username" name="username" required autoCapitalize="none" autoComplete="off" />
        <AffiliationField defaultValue="community-member" />
        <TextField
          label="First password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters. Share it with them privately."
        />
        <label className="checkbox">
          <input type="checkbox" name="isAdmin" /> Site admin (manages accounts and creates documents)
        </label>
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add person'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

function ResetPasswordDialog({
  person,
  onClose,
  onDone,
}: {
  person: User | null
  onClose: () => void
  onDone: (user: User) => void
}) {
  const { onSubmit, error } = useFormSubmit(async (form) => {
    if (!person) return
    await api.post(`/users/${person.username}/password`, { password: form.get('password') })
    onDone(person)
  })

  return (
    <Dialog title={`New password for ${person?.displayName ?? ''}`} open={person !== null} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          data-autofocus
          hint="They will be signed out everywhere."
        />
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary">
            Set password
          </button>
        </div>
      </form>
    </Dialog>
  )
}
