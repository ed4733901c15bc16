import { useState, type FormEvent } from 'react'
import { errorMessage } from '../api/client'

/**
 * The one way a form here submits: no page reload, a busy flag while the request runs, and
 * the server's sentence shown when it fails.
 */
export function useFormSubmit(action: (form: FormData) => Promise<void>) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(null)
    try {
      await action(form)
    } catch (failure) {
      setError(errorMessage(failure))
    } finally {
      setBusy(false)
    }
  }

  return { onSubmit: (event: FormEvent<HTMLFormElement>) => void onSubmit(event), error, setError, busy }
}
