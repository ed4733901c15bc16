import {
  clauseBodyToMarkup,
  markupToClauseBody,
  STANDARD_VARIABLES,
  TEMPLATE_CATEGORIES,
  TEMPLATE_CATEGORY_LABELS,
  VARIABLE_KEY,
  variableLabel,
  variablesIn,
  type ClauseSource,
  type Template,
  type TemplateCategory,
  type TemplateRequest,
} from '@accord/shared'
import { useId, useMemo, useState, type KeyboardEvent } from 'react'
import { api } from '../api/client'
import { ClausePreview } from './ClausePreview'
import { Dialog } from './Dialog'
import { FormError, SelectField, TextField } from './Field'
import { useFormSubmit } from './useFormSubmit'

/** What the template editor opens with. */
export interface TemplateDraft {
  /** Set when editing: saving makes the template's next version. Absent: saving adds a template. */
  template?: Template
  title: string
  category: TemplateCategory | ''
  summary: string
  /** The clause's paragraphs and sub-clauses as markup (shared/src/templates/markup.ts). */
  text: string
  /** Said above the form: where the text came from. */
  note?: string
}

export const emptyDraft = (): TemplateDraft => ({ title: '', category: '', summary: '', text: '' })

/** A template (or one of its earlier versions' text) ready to edit. */
export function draftFromTemplate(template: Template, source: ClauseSource = template, note?: string): TemplateDraft {
  return {
    template,
    title: source.title,
    category: template.category,
    summary: template.summary,
    text: clauseBodyToMarkup(source),
    ...(note ? { note } : {}),
  }
}

const isStandard = (key: string) => STANDARD_VARIABLES.some((variable) => variable.key === key)

/** `{{ district }}`, `{{police-department}}`: written like variables, but not ones, so they stay as text. */
function notVariables(source: ClauseSource): string[] {
  const found = new Set<string>()
  const visit = (clause: ClauseSource) => {
    for (const text of [clause.title, ...clause.body]) {
      for (const match of text.matchAll(/\{\{([^{}\n]*)\}\}/g)) if (!VARIABLE_KEY.test(match[1]!)) found.add(match[0])
    }
    clause.subclauses?.forEach(visit)
  }
  visit(source)
  return [...found]
}

/**
 * Adding or editing a clause template: title, category and summary, the text as markup, and a
 * live preview of the clause as drafters will insert it. The server checks the template; its
 * sentence is shown when it refuses one.
 */
export function TemplateEditorDialog({
  draft,
  onClose,
  onSaved,
}: {
  draft: TemplateDraft | null
  onClose: () => void
  onSaved: (template: Template, created: boolean) => void
}) {
  const title = draft?.template ? 'Edit template' : 'New template'
  return (
    <Dialog title={title} open={draft !== null} onClose={onClose} large>
      {draft && <TemplateForm draft={draft} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  )
}

function TemplateForm({
  draft,
  onClose,
  onSaved,
}: {
  draft: TemplateDraft
  onClose: () => void
  onSaved: (template: Template, created: boolean) => void
}) {
  const [title, setTitle] = useState(draft.title)
  const [category, setCategory] = useState<TemplateCategory | ''>(draft.category)
  const [summary, setSummary] = useState(draft.summary)
  const [text, setText] = useState(draft.text)
  const textId = useId()
  const previewId = useId()

  const body = useMemo(() => markupToClauseBody(text), [text])
  const source: ClauseSource = { title, ...body }
  const variables = variablesIn(source)
  const lookalikes = notVariables(source)
  const existing = draft.template

  const { onSubmit, error, busy } = useFormSubmit(async () => {
    const request = { title, category, summary, ...body } as TemplateRequest
    if (existing) {
      const current: TemplateRequest = {
        title: existing.title,
        category: existing.category,
        summary: existing.summary,
        body: existing.body,
        ...(existing.subclauses ? { subclauses: existing.subclauses } : {}),
      }
      if (JSON.stringify(request) === JSON.stringify(current)) throw new Error(`Nothing has changed since version ${existing.version}.`)
      onSaved(await api.put<Template>(`/templates/${existing.id}`, request), false)
    } else {
      onSaved(await api.post<Template>('/templates', request), true)
    }
  })

  const submitOnControlEnter = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      event.currentTarget.form?.requestSubmit()
    }
  }

  return (
    <form className="template-form" onSubmit={onSubmit}>
      {draft.note && <p className="notice template-form__note">{draft.note}</p>}
      <div className="template-form__meta">
        <TextField
          label="Title"
          name="title"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          maxLength={200}
          required
          autoComplete="off"
          data-autofocus={draft.template || !draft.title ? '' : undefined}
        />
        <SelectField
          label="Category"
          name="category"
          value={category}
          onChange={(event) => setCategory(event.target.value as TemplateCategory)}
          required
          data-autofocus={!draft.template && draft.title ? '' : undefined}
        >
          <option value="" disabled>
            Choose a category…
          </option>
          {TEMPLATE_CATEGORIES.map((value) => (
            <option key={value} value={value}>
              {TEMPLATE_CATEGORY_LABELS[value]}
            </option>
          ))}
        </SelectField>
        <div className="template-form__summary">
          <TextField
            label="Summary"
            name="summary"
            value={summary}
            onChange={(event) => setSummary(event.target.value)}
            maxLength={300}
            required
            autoComplete="off"
            hint="One sentence, shown under the title in the library."
          />
        </div>
      </div>

      <div className="template-form__columns">
        <div className="field template-form__text">
          <label htmlFor={textId}>Text</label>
          <textarea
            id={textId}
            name="text"
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={submitOnControlEnter}
            aria-describedby={`${textId}-hint`}
            spellCheck
            rows={14}
          />
          <div id={`${textId}-hint`} className="field__hint template-form__hint">
            <p>Leave a blank line between paragraphs.</p>
            <p>
              Lines like <code>- item</code> make a list. A line <code>## Title</code> starts a sub-clause, and{' '}
              <code>### Title</code> a sub-sub-clause.
            </p>
            <p>
              Write variables as <code>{'{{district}}'}</code>. Ctrl+Enter saves.
            </p>
          </div>
        </div>

        <section className="template-form__preview" aria-labelledby={previewId}>
          <h3 id={previewId} className="template-form__preview-heading">
            Preview
          </h3>
          <ClausePreview source={source} label="Preview of the clause as it will be inserted" />
          <div className="template-form__variables">
            {variables.length === 0 ? (
              <p className="muted">No variables.</p>
            ) : (
              <>
                <p className="muted">Variables:</p>
                <ul className="chip-list">
                  {variables.map((key) => (
                    <li key={key} className={isStandard(key) ? 'chip' : 'chip chip--custom'}>
                      <code>{`{{${key}}}`}</code> {isStandard(key) ? variableLabel(key) : 'not a standard variable: each document defines it'}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {lookalikes.length > 0 && (
              <p className="template-form__warning">
                {lookalikes.map((lookalike) => `“${lookalike}”`).join(', ')} will show as plain text: variable names are letters and
                digits only, with no spaces, like <code>{'{{district}}'}</code>.
              </p>
            )}
          </div>
        </section>
      </div>

      <div className="template-form__footer">
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : existing ? `Save as version ${existing.version + 1}` : 'Add to library'}
          </button>
        </div>
      </div>
    </form>
  )
}
