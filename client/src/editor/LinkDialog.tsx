import type { Editor } from '@tiptap/core'
import { useState, type FormEvent } from 'react'
import { Dialog } from '../components/Dialog'
import { FormError, TextField } from '../components/Field'
import { normalizeLink } from './links'

/** Adds, changes or removes the link on the current selection. */
export function LinkDialog({ editor, open, onClose }: { editor: Editor; open: boolean; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null)
  const current = open ? ((editor.getAttributes('link').href as string | undefined) ?? '') : ''

  const close = () => {
    setError(null)
    onClose()
    editor.commands.focus()
  }

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const href = normalizeLink(String(new FormData(event.currentTarget).get('href')))
    if (!href) {
      setError('Links may point only to web pages (http, https) or e-mail addresses.')
      return
    }
    const chain = editor.chain().focus().extendMarkRange('link')
    if (editor.state.selection.empty && !editor.isActive('link')) {
      chain.insertContent({ type: 'text', text: href.replace(/^mailto:/, ''), marks: [{ type: 'link', attrs: { href } }] }).run()
    } else {
      chain.setLink({ href }).run()
    }
    close()
  }

  const removeLink = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run()
    close()
  }

  return (
    <Dialog title={current ? 'Edit link' : 'Add link'} open={open} onClose={close}>
      <form onSubmit={handleSubmit}>
        <TextField
          label="Web address or e-mail"
          name="href"
          defaultValue={current}
          placeholder="https://www.dpsk12.org"
          data-autofocus
          required
          inputMode="url"
          autoCapitalize="none"
        />
        <FormError message={error} />
        <div className="dialog__actions">
          {current && (
            <button type="button" className="button button--danger-quiet" onClick={removeLink}>
              Remove link
            </button>
          )}
          <span className="spacer" />
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button--primary">
            {current ? 'Update link' : 'Add link'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
