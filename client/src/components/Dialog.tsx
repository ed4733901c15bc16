import { useEffect, useId, useRef, type ReactNode } from 'react'

/**
 * A modal built on <dialog>: the browser traps focus, closes on Escape and restores focus
 * to what opened it. The element marked `data-autofocus` inside it gets the focus on opening
 * (React's autoFocus runs before the dialog is shown, when nothing in it can take focus).
 */
export function Dialog({
  title,
  open,
  onClose,
  children,
  wide = false,
  large = false,
}: {
  title: string
  open: boolean
  onClose: () => void
  children: ReactNode
  wide?: boolean
  /** For forms that need room beside them, such as a preview. */
  large?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) {
      dialog.showModal()
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    }
    if (!open && dialog.open) dialog.close()
  }, [open])

  return (
    <dialog
      ref={ref}
      className={large ? 'dialog dialog--large' : wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={onClose}
    >
      <header className="dialog__header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      {open && <div className="dialog__body">{children}</div>}
    </dialog>
  )
}
