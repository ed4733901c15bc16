import {
  clauseBodyToMarkup,
  clauseFromSource,
  newClauseId,
  sourceFromClause,
  TEMPLATE_CATEGORIES,
  TEMPLATE_CATEGORY_LABELS,
  type ClauseSource,
  type Template,
} from '@accord/shared'
import type { Editor } from '@tiptap/core'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { api, errorMessage } from '../api/client'
import { TemplateEditorDialog, type TemplateDraft } from '../components/TemplateEditorDialog'
import { useUser } from '../session'
import { clauseAtSelection } from './clauseCommands'

function sourceText(source: ClauseSource): string {
  return [source.title, ...source.body, ...(source.subclauses ?? []).map(sourceText)].join(' ')
}

/** The clause library: browse by category, search by words, preview, insert at the cursor. */
export function LibraryPanel({ editor }: { editor: Editor }) {
  const [templates, setTemplates] = useState<Template[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  const [previewing, setPreviewing] = useState<string | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const { isAdmin } = useUser()
  const [saving, setSaving] = useState<TemplateDraft | null>(null)
  const [saveNote, setSaveNote] = useState<{ tone: 'done' | 'hint'; text: string } | null>(null)

  const load = useCallback(() => {
    api.get<Template[]>('/templates').then(setTemplates, (failure: unknown) => setError(errorMessage(failure)))
  }, [])
  useEffect(load, [load])

  // Site admins: the innermost clause around the cursor, as a new template's starting point.
  const saveClauseAsTemplate = () => {
    const clause = clauseAtSelection(editor.state)
    if (!clause) {
      setSaveNote({ tone: 'hint', text: 'Put the cursor in a clause of the document first, then save it as a template.' })
      return
    }
    setSaveNote(null)
    const source = sourceFromClause(clause.node.toJSON())
    setSaving({
      title: source.title,
      category: '',
      summary: '',
      text: clauseBodyToMarkup(source),
      note: 'From the clause at the cursor, as plain text with its variables: formatting and cross-references are not kept. Choose a category and write a summary.',
    })
  }

  const groups = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean)
    const matching = (templates ?? []).filter((template) => {
      const text = `${sourceText(template)} ${template.summary}`.toLowerCase()
      return words.every((word) => text.includes(word))
    })
    const byCategory = new Map<string, Template[]>()
    for (const template of matching) byCategory.set(template.category, [...(byCategory.get(template.category) ?? []), template])
    return TEMPLATE_CATEGORIES.filter((category) => byCategory.has(category)).map(
      (category) => [category, byCategory.get(category)!] as const,
    )
  }, [templates, query])

  const insert = (template: Template) => {
    const content = clauseFromSource(template, newClauseId, { templateId: template.id, templateVersion: template.version })
    editor.chain().focus().insertClauseAfterCursor(content).run()
    setAnnouncement(`Inserted “${template.title}”.`)
  }

  if (error) return <p className="form-error">{error}</p>
  if (!templates) return <p className="muted">Loading the library…</p>

  return (
    <div className="library">
      {isAdmin && (
        <div className="library__admin">
          <button type="button" className="button button--small button--block" onClick={saveClauseAsTemplate}>
            Save clause at cursor as template
          </button>
          <p className={`library__note library__note--${saveNote?.tone ?? 'hint'}`} role="status" data-testid="library-note">
            {saveNote?.text}
          </p>
          <TemplateEditorDialog
            draft={saving}
            onClose={() => setSaving(null)}
            onSaved={(template) => {
              setSaving(null)
              setSaveNote({ tone: 'done', text: `Saved “${template.title}” to the clause library.` })
              load()
            }}
          />
        </div>
      )}
      <label className="visually-hidden" htmlFor="library-search">
        Search the clause library
      </label>
      <input
        id="library-search"
        type="search"
        className="input input--compact library__search"
        placeholder="Search clauses…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {groups.length === 0 && <p className="muted">No clause matches “{query}”.</p>}
      {groups.map(([category, list]) => (
        <section key={category} className="library__group">
          <h3>{TEMPLATE_CATEGORY_LABELS[category]}</h3>
          <ul>
            {list.map((template) => (
              <li key={template.id} className="library__item" data-testid="library-item">
                <div className="library__head">
                  <span className="library__title">{template.title}</span>
                  <button type="button" className="button button--small" onClick={() => insert(template)} aria-label={`Insert ${template.title}`}>
                    Insert
                  </button>
                </div>
                <p className="muted library__summary">{template.summary}</p>
                <button
                  type="button"
                  className="link-button"
                  aria-expanded={previewing === template.id}
                  onClick={() => setPreviewing(previewing === template.id ? null : template.id)}
                >
                  {previewing === template.id ? 'Hide text' : 'Preview'}
                </button>
                {previewing === template.id && <TemplatePreview source={template} />}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  )
}

function TemplatePreview({ source }: { source: ClauseSource }) {
  return (
    <div className="library__preview">
      <p className="library__preview-title">{source.title}</p>
      {source.body.map((paragraph, index) => (
        <p key={index}>{paragraph}</p>
      ))}
      {source.subclauses?.map((subclause, index) => (
        <TemplatePreview key={index} source={subclause} />
      ))}
    </div>
  )
}
