import { AppHeader } from '../components/AppHeader'
import { Link } from '../router'

export function NotFoundPage({ message }: { message?: string }) {
  return (
    <>
      <AppHeader />
      <main className="page centered-block">
        <h1>Not found</h1>
        <p>{message ?? 'There is nothing at this address, or you do not have access to it.'}</p>
        <Link to="/" className="button button--primary">
          Back to your documents
        </Link>
      </main>
    </>
  )
}
