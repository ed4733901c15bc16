import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS, type DocumentSummary, type ExportFormat, type FinalSummary } from '@accord/shared'
import { useId, useState } from 'react'
import { Dialog } from '../components/Dialog'
import { exportUrl } from './exportUrl'
import { FinalNote } from './FinalNote'

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
  const [previewKey, setPreviewKey] = useState(0)
  const hintId = useId()
  const isFinal = document.status === 'final'

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
            <input type="checkbox" disabled aria-describedby={hintId} />
            Add the comment threads as an appendix
          </label>
          <p id={hintId} className="field__hint">
            Available once the document has comment threads.
          </p>
          <div className="dialog__actions export-dialog__actions">
            <a className="button button--primary" href={exportUrl(document.id, format)} download data-testid="export-download">
              Download {EXPORT_FORMAT_LABELS[format]}
            </a>
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
            src={exportUrl(document.id, 'html', { inline: true })}
          />
        </section>
      </div>
    </Dialog>
  )
}
