import { numberClauses, type NumberedClause } from '@accord/shared/schema'
import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { useState, type DragEvent } from 'react'
import { perDocument } from './perDocument'
import { TemplateDiffDialog } from './TemplateDiffDialog'
import { differsFromTemplate, templateKey, useTemplateSources } from './templateDrift'

const sameOutline = (a: NumberedClause[], b: NumberedClause[] | null) => a === b || JSON.stringify(a) === JSON.stringify(b)
const outlineOf = perDocument(numberClauses)

/**
 * The clauses with their numbers. Clicking one scrolls to it; drafters reorder by dragging, or
 * with the move and indent buttons (the keyboard way to do the same).
 */
export function OutlinePanel({ editor, canEdit }: { editor: Editor; canEdit: boolean }) {
  const clauses = useEditorState({ editor, selector: ({ editor: current }) => outlineOf(current.state.doc), equalityFn: sameOutline })
  // The clauses' text itself, so "edited since the template" follows every keystroke.
  const docVersion = useEditorState({ editor, selector: ({ editor: current }) => current.state.doc })
  const [dragging, setDragging] = useState<number | null>(null)
  const [comparing, setComparing] = useState<NumberedClause | null>(null)
  const templated = clauses.filter((clause) => clause.templateId && clause.templateVersion)
  const templates = useTemplateSources([
    ...new Set(templated.map((clause) => templateKey(clause.templateId!, clause.templateVersion!))),
  ])
  const templateOf = (clause: NumberedClause) =>
    clause.templateId && clause.templateVersion ? templates.get(templateKey(clause.templateId, clause.templateVersion)) : undefined
  const edited = (clause: NumberedClause) => {
    const template = templateOf(clause)
    const node = docVersion.nodeAt(clause.pos)
    return template !== undefined && node !== null && differsFromTemplate(node, template)
  }

  const jumpTo = (clause: NumberedClause) => {
    editor.chain().focus().setTextSelection(clause.pos + 2).scrollIntoView().run()
    const dom = editor.view.nodeDOM(clause.pos)
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'center', behavior: 'smooth' })
  }

  const siblingsOf = (clause: NumberedClause) => {
    const $pos = editor.state.doc.resolve(clause.pos)
    return clauses.filter((other) => other.depth === clause.depth && editor.state.doc.resolve(other.pos).parent === $pos.parent)
  }

  const moveBy = (clause: NumberedClause, step: -1 | 1) => {
    const siblings = siblingsOf(clause)
    const target = siblings[siblings.findIndex((other) => other.pos === clause.pos) + step]
    if (target) editor.chain().focus().moveClause(clause.pos, target.pos, step < 0 ? 'before' : 'after').run()
  }

  const handleDrop = (event: DragEvent, target: NumberedClause) => {
    event.preventDefault()
    if (dragging === null || dragging === target.pos) return
    const box = (event.currentTarget as HTMLElement).getBoundingClientRect()
    const place = event.clientY < box.top + box.height / 2 ? 'before' : 'after'
    editor.chain().moveClause(dragging, target.pos, place).run()
    setDragging(null)
  }

  if (clauses.length === 0) {
    return <p className="muted panel__empty">No numbered clauses yet. {canEdit && 'Insert one from the library, or use “New clause”.'}</p>
  }

  return (
    <ol className="outline" aria-label="Clauses">
      {clauses.map((clause) => (
        <li
          key={`${clause.id}-${clause.pos}`}
          className={`outline__item outline__item--depth-${Math.min(clause.depth, 3)}`}
          draggable={canEdit}
          onDragStart={() => setDragging(clause.pos)}
          onDragEnd={() => setDragging(null)}
          onDragOver={(event) => canEdit && event.preventDefault()}
          onDrop={(event) => handleDrop(event, clause)}
          data-testid="outline-item"
        >
          <button type="button" className="outline__jump" onClick={() => jumpTo(clause)}>
            <span className="outline__number">{clause.number}</span>
            <span className="outline__title">{clause.title || 'Untitled clause'}</span>
          </button>
          {edited(clause) && (
            <button
              type="button"
              className="edited-badge"
              aria-label={`Clause ${clause.number} differs from its template: compare`}
              title="The text differs from the template it came from. Compare."
              onClick={() => setComparing(clause)}
            >
              edited
            </button>
          )}
          {canEdit && (
            <span className="outline__actions">
              <button type="button" className="mini-button" aria-label={`Move clause ${clause.number} up`} title="Move up" onClick={() => moveBy(clause, -1)}>
                ↑
              </button>
              <button type="button" className="mini-button" aria-label={`Move clause ${clause.number} down`} title="Move down" onClick={() => moveBy(clause, 1)}>
                ↓
              </button>
              <button
                type="button"
                className="mini-button"
                aria-label={`Refer to clause ${clause.number} at the cursor`}
                title="Insert “see Section …” at the cursor"
                onClick={() => editor.chain().focus().insertContent({ type: 'crossReference', attrs: { clauseId: clause.id } }).run()}
              >
                §
              </button>
            </span>
          )}
        </li>
      ))}
      {comparing && templateOf(comparing) && docVersion.nodeAt(comparing.pos) && (
        <TemplateDiffDialog
          clause={docVersion.nodeAt(comparing.pos)!}
          number={comparing.number}
          template={templateOf(comparing)!}
          version={comparing.templateVersion!}
          onClose={() => setComparing(null)}
        />
      )}
    </ol>
  )
}
