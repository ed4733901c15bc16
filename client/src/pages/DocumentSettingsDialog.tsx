import type { DocumentSummary } from '@accord/shared'
import { useState, type FormEvent } from 'react'
import { api, errorMessage } from '../api/client'
import { Dialog } from '../components/Dialog'
import { FormError, TextField } from '../components/Field'

/** Owners rename a document, or archive it (the text freezes) and bring it back. */
export function DocumentSettingsDialog({
  document,
  open,
  onClose,
  onChanged,
}: {
  document: DocumentSummary
  open: boolean
  onClose: () => void
  onChanged: (document: DocumentSummary) => void
}) {
  const [error, setError] = useState<string | null>(null)

  const update = async (changes: { title?: string; status?: 'active' | 'archived' }) => {
    setError(null)
    try {
      onChanged(await api.patch<DocumentSummary>(`/documents/${document.id}`, changes))
      onClose()
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }

  const handleRename = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    void update({ title: String(new FormData(event.currentTarget).get('title')) })
  }

  const archived = document.status === 'archived'
  return (
    <Dialog title="Document settings" open={open} onClose={onClose}>
      <form onSubmit={handleRename}>
        <TextField label="Title" name="title" defaultValue={document.title} required maxLength={200} />
        <div className="dialog__actions">
          <button type="submit" className="button button--primary">
            Rename
          </button>
        </div>
      </form>
      <hr />
      <h3>{archived ? 'Restore' : 'Archive'}</h3>
      <p className="muted">
        {archived
          ? 'Restoring lets drafters edit the text again.'
          : 'Archiving freezes the text for everyone and moves the document to the archived list. You can restore it later.'}
      </p>
      <FormError message={error} />
      <button type="button" className="button" onClick={() => void update({ status: archived ? 'active' : 'archived' })}>
        {archived ? 'Restore document' : 'Archive document'}
      </button>
    </Dialog>
  )
}
