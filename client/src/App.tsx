import { documentIdSchema } from '@accord/shared'
import { lazy, Suspense, useEffect } from 'react'
import { AdminPage } from './pages/AdminPage'
import { HomePage } from './pages/HomePage'
import { LibraryPage } from './pages/LibraryPage'
import { LoginPage } from './pages/LoginPage'
import { NotFoundPage } from './pages/NotFoundPage'
import { SetupPage } from './pages/SetupPage'
import { useLocation } from './router'
import { useSession } from './session'

// The editor (Tiptap, Yjs) is most of the code; sign-in and the document list load without it.
const DocumentPage = lazy(() => import('./pages/DocumentPage').then((module) => ({ default: module.DocumentPage })))

const loading = (
  <main className="centered" aria-busy="true">
    <p className="muted">Loading Accord…</p>
  </main>
)

export function App() {
  const { user } = useSession()
  const { pathname, search } = useLocation()

  useEffect(() => {
    window.scrollTo(0, 0)
  }, [pathname])

  if (pathname === '/setup') return <SetupPage token={search.get('token') ?? ''} />
  if (user === undefined) return loading
  if (user === null) return <LoginPage />

  if (pathname === '/') return <HomePage />
  if (pathname === '/admin') return user.isAdmin ? <AdminPage /> : <NotFoundPage />
  if (pathname === '/library') return user.isAdmin ? <LibraryPage /> : <NotFoundPage />
  const documentMatch = /^\/documents\/([^/]+)$/.exec(pathname)
  if (documentMatch && documentIdSchema.safeParse(documentMatch[1]).success) {
    return (
      <Suspense fallback={loading}>
        <DocumentPage key={documentMatch[1]} documentId={documentMatch[1]!} />
      </Suspense>
    )
  }
  return <NotFoundPage />
}
