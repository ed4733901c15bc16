import { MAX_VARIABLE_VALUE_LENGTH, VARIABLES_FIELD } from '@accord/shared/schema'
import { STANDARD_VARIABLES, variableLabel } from '@accord/shared'
import type { Editor } from '@tiptap/core'
import { perDocument } from './perDocument'
import { useEffect, useId, useState } from 'react'
import type * as Y from 'yjs'
import { variablesOf } from './extensions'
import { SignatureLines } from './SignatureLines'
import { useEditorStateAfterPaint } from './useEditorStateAfterPaint'

const usedKeys = perDocument((doc) => {
  const counts = new Map<string, number>()
  doc.descendants((node) => {
    if (node.type.name === 'variable') counts.set(node.attrs.key as string, (counts.get(node.attrs.key as string) ?? 0) + 1)
    return true
  })
  return counts
})

/**
 * Each variable's value, set once for the whole document and shown wherever it occurs. Values
 * live in the Yjs map beside the text, so they sync and persist like the text does.
 */
export function VariablesPanel({ editor, doc, canEdit }: { editor: Editor; doc: Y.Doc; canEdit: boolean }) {
  const [values, setValues] = useState(() => variablesOf(doc))
  const used = useEditorStateAfterPaint({
    editor,
    selector: ({ editor: current }) => usedKeys(current.state.doc),
    equalityFn: (a, b) => JSON.stringify([...a]) === JSON.stringify([...b]),
  })
  const hintId = useId()

  useEffect(() => {
    const map = doc.getMap<string>(VARIABLES_FIELD)
    const refresh = () => setValues(variablesOf(doc))
    map.observe(refresh)
    return () => map.unobserve(refresh)
  }, [doc])

  const keys = [...new Set([...STANDARD_VARIABLES.map((variable) => variable.key), ...used.keys()])]
  const unset = [...used.keys()].filter((key) => !values.get(key)?.trim())

  return (
    <div className="variables">
      <p className="muted" id={hintId}>
        {unset.length > 0
          ? `${unset.length} variable${unset.length === 1 ? '' : 's'} in the text ${unset.length === 1 ? 'is' : 'are'} not set yet.`
          : 'Every variable in the text is set.'}
      </p>
      <ul className="variables__list">
        {keys.map((key) => {
          const definition = STANDARD_VARIABLES.find((variable) => variable.key === key)
          const count = used.get(key) ?? 0
          const missing = count > 0 && !values.get(key)?.trim()
          return (
            <li key={key} className={missing ? 'variables__item is-unset' : 'variables__item'}>
              <div className="variables__label">
                <label htmlFor={`variable-${key}`}>{variableLabel(key)}</label>
                {count > 0 && <span className="muted variables__count"> · used {count}×</span>}
              </div>
              <div className="variables__row">
                <input
                  className="input input--compact"
                  id={`variable-${key}`}
                  value={values.get(key) ?? ''}
                  placeholder={definition?.hint ?? ''}
                  readOnly={!canEdit}
                  maxLength={MAX_VARIABLE_VALUE_LENGTH}
                  aria-describedby={hintId}
                  onChange={(event) => doc.getMap<string>(VARIABLES_FIELD).set(key, event.target.value)}
                />
                {canEdit && (
                  <button
                    type="button"
                    className="mini-button"
                    aria-label={`Insert ${variableLabel(key)} at the cursor`}
                    title="Insert at the cursor"
                    onClick={() => editor.chain().focus().insertContent({ type: 'variable', attrs: { key } }).run()}
                  >
                    +
                  </button>
                )}
              </div>
            </li>
          )
        })}
      </ul>
      {canEdit && <SignatureLines editor={editor} />}
    </div>
  )
}
