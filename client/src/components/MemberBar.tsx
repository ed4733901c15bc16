import type { PresentPerson } from '../collab/collaboration'
import { Avatar } from './Avatar'

/** Who has this document open right now. */
export function MemberBar({ people, me }: { people: PresentPerson[]; me: string }) {
  const shown = people.slice(0, 5)
  const names = people.map((person) => (person.username === me ? `${person.name} (you)` : person.name))
  return (
    <div className="member-bar" aria-label={`Here now: ${names.join(', ') || 'only you'}`} role="group">
      {shown.map((person) => (
        <Avatar
          key={person.username}
          name={person.name}
          label={person.username === me ? `${person.name} (you)` : person.name}
          affiliation={person.affiliation}
        />
      ))}
      {people.length > shown.length && <span className="member-bar__more">+{people.length - shown.length}</span>}
    </div>
  )
}
