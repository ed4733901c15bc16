import { sourceToMarkup, type Template, type TemplateVersion } from '@accord/shared'
import { useEffect, useId, useState } from 'react'
import { api, errorMessage } from '../api/client'
import { ClausePreview } from '../components/ClausePreview'
import { Dialog } from '../components/Dialog'

export const formatDate = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** Every version of a template, newest first; any one's text can be read, or edited into a new version. */
export function TemplateHistoryDialog({
  template,
  onClose,
  onEditFrom,
}: {
  template: Template | null
  onClose: () => void
  onEditFrom: (template: Template, version: TemplateVersion) => void
}) {
  return (
    <Dialog title={template ? `History of “${template.title}”` : 'History'} open={template !== null} onClose={onClose} large>
      {template && <History template={template} onClose={onClose} onEditFrom={onEditFrom} />}
    </Dialog>
  )
}

function History({
  template,
  onClose,
  onEditFrom,
}: {
  template: Template
  onClose: () => void
  onEditFrom: (template: Template, version: TemplateVersion) => void
}) {
  const [versions, setVersions] = useState<TemplateVersion[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [shown, setShown] = useState(template.version)
  const headingId = useId()

  useEffect(() => {
    api.get<TemplateVersion[]>(`/templates/${template.id}/versions`).then(
      (list) => setVersions([...list].reverse()),
      (failure: unknown) => setError(errorMessage(failure)),
    )
  }, [template.id])

  if (error) {
    return (
      <p className="notice notice--error" role="alert">
        {error}
      </p>
    )
  }
  if (!versions) return <p className="muted">Loading the versions…</p>

  const version = versions.find((candidate) => candidate.version === shown) ?? versions[0]!
  const latest = versions[0]!.version

  return (
    <div className="history">
      <nav className="history__versions" aria-label="Versions">
        <ol>
          {versions.map((candidate) => (
            <li key={candidate.version}>
              <button
                type="button"
                className="history__version"
                aria-current={candidate.version === version.version ? 'true' : undefined}
                onClick={() => setShown(candidate.version)}
              >
                <span className="history__version-name">
                  Version {candidate.version}
                  {candidate.version === latest && <span className="badge">Current</span>}
                </span>
                <span className="history__version-date">{formatDate(candidate.createdAt)}</span>
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section className="history__text" aria-labelledby={headingId}>
        <h3 id={headingId} className="history__heading">
          Version {version.version} <span className="muted">· saved {formatDate(version.createdAt)}</span>
        </h3>
        <ClausePreview source={version} label={`Text of version ${version.version}`} />
        <details className="history__markup">
          <summary>Show as markup</summary>
          <pre>{sourceToMarkup(version)}</pre>
        </details>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="button" className="button button--primary" onClick={() => onEditFrom(template, version)}>
            {version.version === latest ? 'Edit' : `Edit, starting from version ${version.version}`}
          </button>
        </div>
      </section>
    </div>
  )
}
