import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS, type DocumentSummary, type ExportFormat, type FinalSummary } from '@accord/shared'
import { useId, useState } from 'react'
import { errorMessage } from '../api/client'
import { Dialog } from '../components/Dialog'
import { FormError } from '../components/Field'
import { exportPath } from './exportPath'
import { FinalNote } from './FinalNote'
import { saveFromApi } from './saveFile'

/**
 * Export: choose a format, see what is not set yet, look at the preview (the HTML export, in a
 * sandboxed frame that runs nothing), download. A Final's files are the stored ones.
 */
export function ExportDialog({
  document,
  final,
  unset,
  open,
  onClose,
}: {
  document: DocumentSummary
  final: FinalSummary | null
  unset: { key: string; label: string }[]
  open: boolean
  onClose: () => void
}) {
  const [format, setFormat] = useState<ExportFormat>('docx')
  const [withComments, setWithComments] = useState(false)
  const [previewKey, setPreviewKey] = useState(0)
  const [preparing, setPreparing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const hintId = useId()
  const isFinal = document.status === 'final'

  // Fetched first rather than linked, so a refusal or a timeout is said here, in words.
  const download = async () => {
    setError(null)
    setPreparing(true)
    try {
      await saveFromApi(exportPath(document.id, format, { comments: withComments && !isFinal }))
    } catch (failure) {
      setError(errorMessage(failure))
    } finally {
      setPreparing(false)
    }
  }

  return (
    <Dialog title={isFinal ? 'Download the Final' : 'Export'} open={open} onClose={onClose} large>
      <div className="export-dialog">
        <div className="export-dialog__options">
          {isFinal && final ? (
            <FinalNote final={final} />
          ) : (
            <div className={unset.length > 0 ? 'notice notice--warning' : 'notice'} data-testid="export-unset">
              {unset.length > 0 ? (
                <>
                  <p className="export-dialog__lead">
                    <strong>This export is a draft</strong> and is marked DRAFT. These variables are not set and show as “not set”:
                  </p>
                  <ul className="export-dialog__unset">
                    {unset.map((variable) => (
                      <li key={variable.key}>{variable.label}</li>
                    ))}
                  </ul>
                </>
              ) : (
                <p className="export-dialog__lead">Every variable is set. Drafts are marked DRAFT until the document is finalized.</p>
              )}
            </div>
          )}
          <fieldset className="choice export-dialog__formats">
            <legend>Format</legend>
            {EXPORT_FORMATS.map((value) => (
              <label key={value} className="choice__option">
                <input type="radio" name="format" value={value} checked={format === value} onChange={() => setFormat(value)} data-autofocus={value === format ? true : undefined} />
                {EXPORT_FORMAT_LABELS[value]}
              </label>
            ))}
          </fieldset>
          <label className="export-dialog__check">
            <input
              type="checkbox"
              checked={withComments && !isFinal}
              disabled={isFinal}
              onChange={(event) => setWithComments(event.target.checked)}
              aria-describedby={hintId}
            />
            Add the comment threads as an appendix
          </label>
          <p id={hintId} className="field__hint">
            {isFinal
              ? 'A Final is downloaded exactly as it was frozen, without comments.'
              : 'Every open and resolved thread, with who wrote what and when, for the public record.'}
          </p>
          <FormError message={error} />
          <div className="dialog__actions export-dialog__actions">
            <button type="button" className="button button--primary" disabled={preparing} onClick={() => void download()} data-testid="export-download">
              {preparing ? 'Preparing…' : `Download ${EXPORT_FORMAT_LABELS[format]}`}
            </button>
          </div>
        </div>
        <section className="export-dialog__preview" aria-label="Preview">
          <div className="export-dialog__preview-bar">
            <h3>Preview</h3>
            <button type="button" className="button button--small" onClick={() => setPreviewKey((key) => key + 1)}>
              Refresh preview
            </button>
          </div>
          <iframe
            key={previewKey}
            className="export-dialog__frame"
            title={`Preview of ${document.title}`}
            sandbox=""
            referrerPolicy="same-origin"
            src={`/api${exportPath(document.id, 'html', { inline: true, comments: withComments && !isFinal })}`}
          />
        </section>
      </div>
    </Dialog>
  )
}
