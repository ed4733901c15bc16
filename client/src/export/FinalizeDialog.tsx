import type { DocumentSummary, FinalSummary } from '@accord/shared'
import { useState } from 'react'
import { api, errorMessage } from '../api/client'
import { Dialog } from '../components/Dialog'
import { FormError } from '../components/Field'

/** Freezing the text as the Final, or (owners) reopening it: both asked for twice, both explained. */
export function FinalizeDialog({
  document,
  mode,
  unset,
  open,
  onClose,
  onDone,
}: {
  document: DocumentSummary
  mode: 'finalize' | 'reopen'
  unset: { key: string; label: string }[]
  open: boolean
  onClose: () => void
  onDone: () => void
}) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const blocked = mode === 'finalize' && unset.length > 0

  const confirm = async () => {
    setError(null)
    setBusy(true)
    try {
      if (mode === 'finalize') await api.post<FinalSummary>(`/documents/${document.id}/finalize`)
      else await api.post<DocumentSummary>(`/documents/${document.id}/reopen`)
      onDone()
      onClose()
    } catch (failure) {
      setError(errorMessage(failure))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog title={mode === 'finalize' ? 'Finalize this document?' : 'Reopen this document?'} open={open} onClose={onClose}>
      {mode === 'finalize' ? (
        <>
          <p>
            The text of <strong>{document.title}</strong> is frozen as the Final: nobody can change it, and its Word, PDF, web,
            Markdown and text files are made now, marked FINAL with their fingerprint. Every later download is the same file.
          </p>
          <p className="muted">Only an owner can reopen it, and that is recorded.</p>
          {blocked && (
            <div className="notice notice--warning" data-testid="finalize-unset">
              <p className="export-dialog__lead">Set these variables first:</p>
              <ul className="export-dialog__unset">
                {unset.map((variable) => (
                  <li key={variable.key}>{variable.label}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      ) : (
        <p>
          Drafters can edit the text again. The Final stays in the record, with who reopened it and when; finalizing again
          makes the next Final.
        </p>
      )}
      <FormError message={error} />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} data-autofocus={blocked || undefined}>
          Cancel
        </button>
        <button type="button" className="button button--primary" disabled={busy || blocked} onClick={() => void confirm()} data-autofocus={!blocked || undefined}>
          {busy ? (mode === 'finalize' ? 'Finalizing…' : 'Reopening…') : mode === 'finalize' ? 'Finalize' : 'Reopen'}
        </button>
      </div>
    </Dialog>
  )
}
