import { AFFILIATION_LABELS } from '@accord/shared'
import type { ReactNode } from 'react'
import { Link } from '../router'
import { useSession, useUser } from '../session'
import { Avatar } from './Avatar'

/** The bar on every signed-in page: the product, where you are, and who you are. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const user = useUser()
  const { signOut } = useSession()
  return (
    <header className="app-header">
      <Link to="/" className="brand" aria-label="Accord: all documents">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span className="brand__name">Accord</span>
      </Link>
      <div className="app-header__middle">{children}</div>
      <nav className="app-header__user" aria-label="Account">
        {user.isAdmin && (
          <Link to="/admin" className="button button--quiet hide-narrow">
            People
          </Link>
        )}
        <span className="who hide-narrow">
          <Avatar name={user.displayName} affiliation={user.affiliation} size="small" />
          <span className="who__text">
            <span className="who__name">{user.displayName}</span>
            <span className="who__affiliation">{AFFILIATION_LABELS[user.affiliation]}</span>
          </span>
        </span>
        <button type="button" className="button button--quiet" onClick={() => void signOut()}>
          Sign out
        </button>
      </nav>
    </header>
  )
}
