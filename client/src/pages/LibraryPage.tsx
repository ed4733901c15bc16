import { sourceToMarkup, TEMPLATE_CATEGORIES, TEMPLATE_CATEGORY_LABELS, type Template, type TemplateCategory } from '@accord/shared'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { api, errorMessage } from '../api/client'
import { AppHeader } from '../components/AppHeader'
import { draftFromTemplate, emptyDraft, TemplateEditorDialog, type TemplateDraft } from '../components/TemplateEditorDialog'
import { relativeTime } from '../components/time'
import { formatDate, TemplateHistoryDialog } from './TemplateHistoryDialog'

const searchText = (template: Template) =>
  `${sourceToMarkup(template)} ${template.summary} ${template.variables.join(' ')} ${template.retired ? 'retired' : ''}`.toLowerCase()

/** Site admins keep the clause library here: add, edit (each save a new version), retire and restore templates. */
export function LibraryPage() {
  const [templates, setTemplates] = useState<Template[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  const [editing, setEditing] = useState<TemplateDraft | null>(null)
  const [history, setHistory] = useState<Template | null>(null)
  const [announcement, setAnnouncement] = useState('')

  const load = useCallback(() => {
    api.get<Template[]>('/templates?includeRetired=true').then(
      (list) => {
        setTemplates(list)
        setError(null)
      },
      (failure: unknown) => setError(errorMessage(failure)),
    )
  }, [])
  useEffect(load, [load])

  const groups = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean)
    const byCategory = new Map<TemplateCategory, Template[]>()
    for (const template of templates ?? []) {
      const text = searchText(template)
      if (!words.every((word) => text.includes(word))) continue
      byCategory.set(template.category, [...(byCategory.get(template.category) ?? []), template])
    }
    return TEMPLATE_CATEGORIES.filter((category) => byCategory.has(category)).map((category) => [category, byCategory.get(category)!] as const)
  }, [templates, query])

  const setRetired = async (template: Template, retired: boolean) => {
    setError(null)
    try {
      if (retired) await api.delete(`/templates/${template.id}`)
      else await api.post(`/templates/${template.id}/restore`)
      setAnnouncement(
        retired
          ? `Retired “${template.title}”. Drafters no longer see it in the library.`
          : `Restored “${template.title}” to the library.`,
      )
      load()
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }

  const retiredCount = templates?.filter((template) => template.retired).length ?? 0

  return (
    <>
      <AppHeader />
      <main className="page" id="main">
        <div className="page__heading">
          <div>
            <h1>Clause library</h1>
            <p className="muted">
              The templates drafters insert into documents. Saving an edit makes a new version; documents keep the text they already
              have.
            </p>
          </div>
          <button type="button" className="button button--primary" onClick={() => setEditing(emptyDraft())}>
            New template
          </button>
        </div>
        <p className="visually-hidden" aria-live="polite">
          {announcement}
        </p>
        {error && (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        {templates === null ? (
          !error && <p className="muted">Loading the library…</p>
        ) : (
          <>
            <div className="template-toolbar">
              <label className="visually-hidden" htmlFor="template-search">
                Search templates
              </label>
              <input
                id="template-search"
                type="search"
                className="input template-toolbar__search"
                placeholder="Search titles, text and variables…"
                value={query}
                onChange={(event) => setQuery(event.target.value)}
              />
              <p className="muted template-toolbar__count">
                {templates.length} {templates.length === 1 ? 'template' : 'templates'}
                {retiredCount > 0 && `, ${retiredCount} retired`}
              </p>
            </div>
            {groups.length === 0 && (
              <div className="empty-state">
                {templates.length === 0 ? (
                  <p className="muted">The library is empty. Add the first template.</p>
                ) : (
                  <p className="muted">No template matches “{query}”.</p>
                )}
              </div>
            )}
            {groups.map(([category, list]) => (
              <section key={category} className="template-group" aria-labelledby={`category-${category}`}>
                <h2 id={`category-${category}`} className="template-group__heading">
                  {TEMPLATE_CATEGORY_LABELS[category]} <span className="template-group__count">{list.length}</span>
                </h2>
                <ul className="template-list">
                  {list.map((template) => (
                    <TemplateCard
                      key={template.id}
                      template={template}
                      onEdit={() => setEditing(draftFromTemplate(template))}
                      onHistory={() => setHistory(template)}
                      onRetire={(retired) => void setRetired(template, retired)}
                    />
                  ))}
                </ul>
              </section>
            ))}
          </>
        )}
      </main>
      {/* History first: when it hands over to the editor, it closes before the editor opens. */}
      <TemplateHistoryDialog
        template={history}
        onClose={() => setHistory(null)}
        onEditFrom={(template, version) => {
          setHistory(null)
          setEditing(
            draftFromTemplate(
              template,
              version,
              version.version === template.version ? undefined : `Starting from the text of version ${version.version} (${formatDate(version.createdAt)}). Saving makes version ${template.version + 1}.`,
            ),
          )
        }}
      />
      <TemplateEditorDialog
        draft={editing}
        onClose={() => setEditing(null)}
        onSaved={(template, created) => {
          setEditing(null)
          setAnnouncement(created ? `Added “${template.title}” to the library.` : `Saved version ${template.version} of “${template.title}”.`)
          load()
        }}
      />
    </>
  )
}

function TemplateCard({
  template,
  onEdit,
  onHistory,
  onRetire,
}: {
  template: Template
  onEdit: () => void
  onHistory: () => void
  onRetire: (retired: boolean) => void
}) {
  const titleId = `template-${template.id}`
  return (
    <li className={template.retired ? 'template-card is-retired' : 'template-card'} data-testid="template-card">
      <div className="template-card__text">
        <h3 id={titleId} className="template-card__title">
          {template.title}
          {template.retired && <span className="badge badge--muted">Retired</span>}
        </h3>
        <p className="template-card__summary">{template.summary}</p>
        <p className="template-card__meta">
          <span>Version {template.version}</span>
          <span aria-hidden="true">·</span>
          <span title={formatDate(template.updatedAt)}>updated {relativeTime(template.updatedAt)}</span>
          {template.subclauses && (
            <>
              <span aria-hidden="true">·</span>
              <span>
                {template.subclauses.length} {template.subclauses.length === 1 ? 'sub-clause' : 'sub-clauses'}
              </span>
            </>
          )}
        </p>
        {template.variables.length > 0 && (
          <p className="template-card__variables">
            <span className="visually-hidden">Variables: </span>
            {template.variables.map((key) => (
              <code key={key} className="variable-chip">{`{{${key}}}`}</code>
            ))}
          </p>
        )}
      </div>
      <div className="template-card__actions">
        <button type="button" className="button button--small" onClick={onEdit} aria-label={`Edit ${template.title}`}>
          Edit
        </button>
        <button type="button" className="button button--small" onClick={onHistory} aria-label={`History of ${template.title}`}>
          History
        </button>
        {template.retired ? (
          <button type="button" className="button button--small" onClick={() => onRetire(false)} aria-label={`Restore ${template.title}`}>
            Restore
          </button>
        ) : (
          <button type="button" className="button button--small" onClick={() => onRetire(true)} aria-label={`Retire ${template.title}`}>
            Retire
          </button>
        )}
      </div>
    </li>
  )
}
