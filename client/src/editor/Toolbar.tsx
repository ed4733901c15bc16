import { newClauseId } from '@accord/shared'
import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import { useEditorState } from '@tiptap/react'
import { yUndoPluginKey } from '@tiptap/y-tiptap'
import type { ChangeEvent, ReactNode } from 'react'
import { Icon, type IconName } from './icons'

const undoManagerOf = (editor: Editor) =>
  (yUndoPluginKey.getState(editor.state) as { undoManager: { undoStack: unknown[]; redoStack: unknown[] } } | undefined)?.undoManager

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const mod = isMac ? '⌘' : 'Ctrl+'

type BlockType = 'paragraph' | 'h1' | 'h2' | 'h3'

/** Formatting controls. Each button names its action and shortcut, and says when it is on. */
export function Toolbar({ editor, onLink, extra }: { editor: Editor; onLink: () => void; extra?: ReactNode }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      bold: current.isActive('bold'),
      italic: current.isActive('italic'),
      underline: current.isActive('underline'),
      bulletList: current.isActive('bulletList'),
      orderedList: current.isActive('orderedList'),
      link: current.isActive('link'),
      block: (current.isActive('heading', { level: 1 })
        ? 'h1'
        : current.isActive('heading', { level: 2 })
          ? 'h2'
          : current.isActive('heading', { level: 3 })
            ? 'h3'
            : 'paragraph') as BlockType,
      // Asked of the undo manager itself: `can().undo()` would dry-run every command of the
      // editor on every keystroke and every caret that moves.
      canUndo: (undoManagerOf(current)?.undoStack.length ?? 0) > 0,
      canRedo: (undoManagerOf(current)?.redoStack.length ?? 0) > 0,
    }),
  })

  const setBlock = (event: ChangeEvent<HTMLSelectElement>) => {
    const value = event.target.value as BlockType
    const chain = editor.chain().focus()
    if (value === 'paragraph') chain.setParagraph().run()
    else chain.setHeading({ level: Number(value.slice(1)) as 1 | 2 | 3 }).run()
  }

  const button = (icon: IconName, label: string, shortcut: string, active: boolean | null, run: () => void, disabled = false) => (
    <button
      type="button"
      className="toolbar__button"
      aria-label={label}
      aria-pressed={active === null ? undefined : active}
      aria-keyshortcuts={shortcut.replace('⌘', 'Meta+').replace('Ctrl+', 'Control+')}
      title={`${label} (${shortcut})`}
      disabled={disabled}
      onMouseDown={(event) => event.preventDefault()}
      onClick={run}
    >
      <Icon name={icon} />
    </button>
  )

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      <div className="toolbar__group">
        {button('undo', 'Undo your last change', `${mod}Z`, null, () => editor.chain().focus().undo().run(), !state.canUndo)}
        {button('redo', 'Redo', `${mod}Shift+Z`, null, () => editor.chain().focus().redo().run(), !state.canRedo)}
      </div>
      <div className="toolbar__group">
        <label className="visually-hidden" htmlFor="block-type">
          Text style
        </label>
        <select id="block-type" className="toolbar__select" value={state.block} onChange={setBlock}>
          <option value="paragraph">Paragraph</option>
          <option value="h1">Heading 1</option>
          <option value="h2">Heading 2</option>
          <option value="h3">Heading 3</option>
        </select>
      </div>
      <div className="toolbar__group">
        {button('bold', 'Bold', `${mod}B`, state.bold, () => editor.chain().focus().toggleBold().run())}
        {button('italic', 'Italic', `${mod}I`, state.italic, () => editor.chain().focus().toggleItalic().run())}
        {button('underline', 'Underline', `${mod}U`, state.underline, () => editor.chain().focus().toggleUnderline().run())}
      </div>
      <div className="toolbar__group">
        {button('bulletList', 'Bulleted list', `${mod}Shift+8`, state.bulletList, () =>
          editor.chain().focus().toggleBulletList().run(),
        )}
        {button('orderedList', 'Numbered list', `${mod}Shift+7`, state.orderedList, () =>
          editor.chain().focus().toggleOrderedList().run(),
        )}
        {button('link', state.link ? 'Edit link' : 'Add link', `${mod}K`, state.link, onLink)}
      </div>
      <div className="toolbar__group">
        <button
          type="button"
          className="toolbar__text-button"
          title="Add a numbered clause after this one (Tab in its title makes it a sub-clause)"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            const id = newClauseId()
            editor
              .chain()
              .focus()
              .insertClauseAfterCursor({ type: 'clause', attrs: { id }, content: [{ type: 'clauseTitle' }, { type: 'paragraph' }] })
              .command(({ tr, state: current }) => {
                let titlePos = -1
                current.doc.descendants((node, pos) => {
                  if (node.type.name === 'clause' && node.attrs.id === id) titlePos = pos + 2
                  return titlePos < 0
                })
                if (titlePos > 0) tr.setSelection(TextSelection.create(tr.doc, titlePos))
                return true
              })
              .run()
          }}
        >
          + Clause
        </button>
      </div>
      {extra && <div className="toolbar__group">{extra}</div>}
    </div>
  )
}
