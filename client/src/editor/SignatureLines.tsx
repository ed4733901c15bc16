import type { SignatoryLine } from '@accord/shared/schema'
import type { Editor } from '@tiptap/core'
import { perDocument } from './perDocument'
import { useEditorStateAfterPaint } from './useEditorStateAfterPaint'

const EMPTY_LINE: SignatoryLine = { party: '', name: '', title: '' }

const findBlock = perDocument((doc): { pos: number; signatories: SignatoryLine[] } | null => {
  let found: { pos: number; signatories: SignatoryLine[] } | null = null
  doc.forEach((node, offset) => {
    if (!found && node.type.name === 'signatureBlock') found = { pos: offset, signatories: node.attrs.signatories as SignatoryLine[] }
  })
  return found
})

/**
 * Who signs for whom. Each field may use variables, e.g. {{superintendent}}, so the lines fill
 * themselves in as the variables are set.
 */
export function SignatureLines({ editor }: { editor: Editor }) {
  const block = useEditorStateAfterPaint({
    editor,
    selector: ({ editor: current }) => findBlock(current.state.doc),
    equalityFn: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  })

  const save = (signatories: SignatoryLine[]) => {
    if (!block) return
    editor.chain().command(({ tr }) => {
      tr.setNodeAttribute(block.pos, 'signatories', signatories)
      return true
    }).run()
  }

  if (!block) {
    return (
      <div className="signature-lines">
        <h3>Signature lines</h3>
        <p className="muted">This document has no signature lines yet.</p>
        <button
          type="button"
          className="button button--small"
          onClick={() => editor.chain().focus().insertContentAt(editor.state.doc.content.size, { type: 'signatureBlock' }).run()}
        >
          Add signature lines at the end
        </button>
      </div>
    )
  }

  const update = (index: number, field: keyof SignatoryLine, value: string) =>
    save(block.signatories.map((line, at) => (at === index ? { ...line, [field]: value } : line)))

  return (
    <div className="signature-lines">
      <h3>Signature lines</h3>
      <p className="muted">Fields may use variables such as {'{{superintendent}}'}.</p>
      {block.signatories.map((line, index) => (
        <fieldset key={index} className="signature-lines__party">
          <legend>Signatory {index + 1}</legend>
          {(['party', 'name', 'title'] as const).map((field) => (
            <label key={field} className="signature-lines__field">
              <span>{field === 'party' ? 'For' : field === 'name' ? 'Name' : 'Title'}</span>
              <input className="input input--compact" value={line[field]} maxLength={80} onChange={(event) => update(index, field, event.target.value)} />
            </label>
          ))}
          <button
            type="button"
            className="button button--small button--danger-quiet"
            onClick={() => save(block.signatories.filter((_, at) => at !== index))}
          >
            Remove signatory {index + 1}
          </button>
        </fieldset>
      ))}
      {block.signatories.length < 6 && (
        <button type="button" className="button button--small" onClick={() => save([...block.signatories, EMPTY_LINE])}>
          Add a signatory
        </button>
      )}
    </div>
  )
}
