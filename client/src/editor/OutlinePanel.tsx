import { numberClauses, type NumberedClause } from '@accord/shared/schema'
import type { ClauseSource } from '@accord/shared'
import type { Editor } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { useState, type DragEvent } from 'react'
import { clauseAtSelection } from './clauseCommands'
import { perDocument } from './perDocument'
import { TemplateDiffDialog } from './TemplateDiffDialog'
import { differsFromTemplate, templateKey, useTemplateSources } from './templateDrift'
import { useEditorStateAfterPaint } from './useEditorStateAfterPaint'

/** What a row shows. Positions are left out: they change with every keystroke above a clause. */
type OutlineRow = Omit<NumberedClause, 'pos'>

const outlineOf = perDocument(numberClauses)
const rowsOf = perDocument((doc) => outlineOf(doc).map(({ pos: _pos, ...row }): OutlineRow => row))
const sameRows = (a: OutlineRow[], b: OutlineRow[] | null) =>
  a === b ||
  (b !== null &&
    a.length === b.length &&
    a.every(
      (row, index) =>
        row.id === b[index]!.id &&
        row.number === b[index]!.number &&
        row.title === b[index]!.title &&
        row.depth === b[index]!.depth &&
        row.templateId === b[index]!.templateId &&
        row.templateVersion === b[index]!.templateVersion,
    ))

/** Whether a clause differs from its template, remembered per clause node: typing changes one node. */
const driftByTemplate = new WeakMap<ClauseSource, WeakMap<ProseMirrorNode, boolean>>()
function differs(node: ProseMirrorNode, template: ClauseSource): boolean {
  let known = driftByTemplate.get(template)
  if (!known) driftByTemplate.set(template, (known = new WeakMap()))
  let result = known.get(node)
  if (result === undefined) known.set(node, (result = differsFromTemplate(node, template)))
  return result
}

/**
 * The clauses with their numbers, the one holding the caret marked. Clicking one scrolls to it;
 * drafters reorder by dragging, or with the move and indent buttons (the keyboard way to do the
 * same). It renders again only when a row, the caret's clause or an "edited" mark changes, not
 * on every keystroke.
 */
export function OutlinePanel({ editor, canEdit }: { editor: Editor; canEdit: boolean }) {
  const clauses = useEditorStateAfterPaint({ editor, selector: ({ editor: current }) => rowsOf(current.state.doc), equalityFn: sameRows })
  const caretClauseId = useEditorStateAfterPaint({
    editor,
    selector: ({ editor: current }) => (clauseAtSelection(current.state)?.node.attrs.id as string | undefined) ?? null,
  })
  const [dragging, setDragging] = useState<number | null>(null)
  const [comparing, setComparing] = useState<{ row: OutlineRow; node: ProseMirrorNode; template: ClauseSource } | null>(null)
  const templated = clauses.filter((clause) => clause.templateId && clause.templateVersion)
  const templates = useTemplateSources([
    ...new Set(templated.map((clause) => templateKey(clause.templateId!, clause.templateVersion!))),
  ])
  const templateOf = (clause: OutlineRow) =>
    clause.templateId && clause.templateVersion ? templates.get(templateKey(clause.templateId, clause.templateVersion)) : undefined
  // One character per clause ('1' edited), so the comparison after each keystroke is one string's.
  const edited = useEditorStateAfterPaint({
    editor,
    selector: ({ editor: current }) =>
      outlineOf(current.state.doc)
        .map((clause) => {
          const template = templateOf(clause)
          const node = template && current.state.doc.nodeAt(clause.pos)
          return template && node && differs(node, template) ? '1' : '0'
        })
        .join(''),
  })
  /** The clause at row `index` as it is now, with its current position. */
  const live = (index: number) => outlineOf(editor.state.doc)[index]
  const jumpTo = (index: number) => {
    const clause = live(index)
    if (!clause) return
    editor.chain().focus().setTextSelection(clause.pos + 2).scrollIntoView().run()
    const dom = editor.view.nodeDOM(clause.pos)
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'center', behavior: 'smooth' })
  }

  const siblingsOf = (clause: NumberedClause) => {
    const $pos = editor.state.doc.resolve(clause.pos)
    return outlineOf(editor.state.doc).filter((other) => other.depth === clause.depth && editor.state.doc.resolve(other.pos).parent === $pos.parent)
  }

  const moveBy = (index: number, step: -1 | 1) => {
    const clause = live(index)
    if (!clause) return
    const siblings = siblingsOf(clause)
    const target = siblings[siblings.findIndex((other) => other.pos === clause.pos) + step]
    if (target) editor.chain().focus().moveClause(clause.pos, target.pos, step < 0 ? 'before' : 'after').run()
  }

  const handleDrop = (event: DragEvent, targetIndex: number) => {
    event.preventDefault()
    const [moved, target] = [dragging === null ? undefined : live(dragging), live(targetIndex)]
    if (!moved || !target || moved.pos === target.pos) return
    const box = (event.currentTarget as HTMLElement).getBoundingClientRect()
    const place = event.clientY < box.top + box.height / 2 ? 'before' : 'after'
    editor.chain().moveClause(moved.pos, target.pos, place).run()
    setDragging(null)
  }

  const compare = (index: number) => {
    const clause = live(index)
    const template = clause && templateOf(clause)
    const node = clause && editor.state.doc.nodeAt(clause.pos)
    if (clause && template && node) setComparing({ row: clause, node, template })
  }

  if (clauses.length === 0) {
    return <p className="muted panel__empty">No numbered clauses yet. {canEdit && 'Insert one from the library, or use “New clause”.'}</p>
  }

  return (
    <ol className="outline" aria-label="Clauses">
      {clauses.map((clause, index) => (
        <li
          key={`${clause.id}-${index}`}
          className={`outline__item outline__item--depth-${Math.min(clause.depth, 3)}`}
          draggable={canEdit}
          onDragStart={() => setDragging(index)}
          onDragEnd={() => setDragging(null)}
          onDragOver={(event) => canEdit && event.preventDefault()}
          onDrop={(event) => handleDrop(event, index)}
          data-testid="outline-item"
        >
          <button
            type="button"
            className="outline__jump"
            aria-current={clause.id !== '' && clause.id === caretClauseId ? 'location' : undefined}
            onClick={() => jumpTo(index)}
          >
            <span className="outline__number">{clause.number}</span>
            <span className="outline__title">{clause.title || 'Untitled clause'}</span>
          </button>
          {edited[index] === '1' && (
            <button
              type="button"
              className="edited-badge"
              aria-label={`Clause ${clause.number} differs from its template: compare`}
              title="The text differs from the template it came from. Compare."
              onClick={() => compare(index)}
            >
              edited
            </button>
          )}
          {canEdit && (
            <span className="outline__actions">
              <button type="button" className="mini-button" aria-label={`Move clause ${clause.number} up`} title="Move up" onClick={() => moveBy(index, -1)}>
                ↑
              </button>
              <button type="button" className="mini-button" aria-label={`Move clause ${clause.number} down`} title="Move down" onClick={() => moveBy(index, 1)}>
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
      {comparing && (
        <TemplateDiffDialog
          clause={comparing.node}
          number={comparing.row.number}
          template={comparing.template}
          version={comparing.row.templateVersion!}
          onClose={() => setComparing(null)}
        />
      )}
    </ol>
  )
}
