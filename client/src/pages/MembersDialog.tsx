import { AFFILIATION_LABELS, ROLE_LABELS, ROLES, type Member, type Person, type Role } from '@accord/shared'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { api, errorMessage } from '../api/client'
import { Avatar } from '../components/Avatar'
import { Dialog } from '../components/Dialog'
import { FormError, SelectField } from '../components/Field'

const ROLE_HINTS: Record<Role, string> = {
  owner: 'edits, manages members, finalizes',
  drafter: 'edits the text',
  reviewer: 'reads and comments',
  clerk: 'comments, exports, finalizes',
  viewer: 'reads only',
}

/** Everyone may see who is on a document; owners change roles, add and remove people. */
export function MembersDialog({
  documentId,
  open,
  onClose,
  canManage,
  me,
}: {
  documentId: string
  open: boolean
  onClose: () => void
  canManage: boolean
  me: string
}) {
  const [members, setMembers] = useState<Member[] | null>(null)
  const [people, setPeople] = useState<Person[]>([])
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    api.get<Member[]>(`/documents/${documentId}/members`).then(setMembers, (failure: unknown) => setError(errorMessage(failure)))
    if (canManage) api.get<Person[]>('/people').then(setPeople, () => setPeople([]))
  }, [documentId, canManage])

  useEffect(() => {
    if (open) load()
  }, [open, load])

  const act = async (action: () => Promise<unknown>) => {
    setError(null)
    try {
      await action()
      load()
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }

  const setRole = (username: string, role: Role) => act(() => api.put(`/documents/${documentId}/members/${username}`, { role }))
  const remove = (username: string) => act(() => api.delete(`/documents/${documentId}/members/${username}`))

  const handleAdd = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    void setRole(String(form.get('username')), form.get('role') as Role)
  }

  const candidates = people.filter((person) => !members?.some((member) => member.username === person.username))

  return (
    <Dialog title="Members" open={open} onClose={onClose} wide>
      {members === null ? (
        <p className="muted">Loading members…</p>
      ) : (
        <ul className="member-list">
          {members.map((member) => (
            <li key={member.username} className="member-list__item">
              <Avatar name={member.displayName} affiliation={member.affiliation} />
              <span className="member-list__who">
                <span className="member-list__name">
                  {member.displayName}
                  {member.username === me && ' (you)'}
                </span>
                <span className="muted">{AFFILIATION_LABELS[member.affiliation]}</span>
              </span>
              {canManage ? (
                <>
                  <label className="visually-hidden" htmlFor={`role-${member.username}`}>
                    Role of {member.displayName}
                  </label>
                  <select
                    id={`role-${member.username}`}
                    value={member.role}
                    onChange={(event) => void setRole(member.username, event.target.value as Role)}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {ROLE_LABELS[role]}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    className="button button--small button--danger-quiet"
                    aria-label={`Remove ${member.displayName}`}
                    onClick={() => void remove(member.username)}
                  >
                    Remove
                  </button>
                </>
              ) : (
                <span className="badge">{ROLE_LABELS[member.role]}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError message={error} />
      {canManage && (
        <form className="add-member" onSubmit={handleAdd}>
          <h3>Add a person</h3>
          {candidates.length === 0 ? (
            <p className="muted">Everyone with an account is already a member. A site admin can add accounts.</p>
          ) : (
            <div className="add-member__row">
              <SelectField label="Person" name="username" required>
                {candidates.map((person) => (
                  <option key={person.username} value={person.username}>
                    {person.displayName} · {AFFILIATION_LABELS[person.affiliation]}
                  </option>
                ))}
              </SelectField>
              <SelectField label="Role" name="role" defaultValue="reviewer">
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_LABELS[role]}: {ROLE_HINTS[role]}
                  </option>
                ))}
              </SelectField>
              <button type="submit" className="button button--primary">
                Add
              </button>
            </div>
          )}
        </form>
      )}
    </Dialog>
  )
}
