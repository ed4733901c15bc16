import { AFFILIATION_LABELS } from '@accord/shared'
import type { ReactNode } from 'react'
import { hasUnsentChanges } from '../collab/offlineCopies'
import { Link, useLocation } from '../router'
import { useSession, useUser } from '../session'
import { Avatar } from './Avatar'
import { InboxButton } from './InboxButton'

/** The bar on every signed-in page: the product, where you are, and who you are. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const user = useUser()
  const { signOut } = useSession()
  const { pathname } = useLocation()
  const current = (path: string) => (pathname === path ? 'page' : undefined)
  // Signing out deletes this person's offline copies, with any changes not yet sent.
  const confirmSignOut = () => {
    if (
      hasUnsentChanges() &&
      !window.confirm('Some of your changes have not reached the server yet. Signing out deletes them from this device. Sign out anyway?')
    ) {
      return
    }
    void signOut()
  }
  return (
    <header className="app-header">
      <Link to="/" className="brand" aria-label="Accord: all documents">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span className="brand__name">Accord</span>
      </Link>
      <div className="app-header__middle">{children}</div>
      <nav className="app-header__user" aria-label="Account">
        {user.isAdmin && (
          <>
            <Link to="/admin" className="button button--quiet hide-narrow" aria-current={current('/admin')}>
              People
            </Link>
            <Link to="/library" className="button button--quiet hide-narrow" aria-current={current('/library')}>
              Clause library
            </Link>
          </>
        )}
        <InboxButton />
        <span className="who hide-narrow">
          <Avatar name={user.displayName} affiliation={user.affiliation} size="small" />
          <span className="who__text">
            <span className="who__name">{user.displayName}</span>
            <span className="who__affiliation">{AFFILIATION_LABELS[user.affiliation]}</span>
          </span>
        </span>
        <button type="button" className="button button--quiet" onClick={confirmSignOut}>
          Sign out
        </button>
      </nav>
    </header>
  )
}
