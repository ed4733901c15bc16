import { AFFILIATIONS, type Affiliation } from '@accord/shared'
import type { DecorationAttrs } from '@tiptap/pm/view'

/**
 * Remote carets and selections are coloured by affiliation through CSS classes, not inline
 * styles: our Content-Security-Policy forbids style attributes, and a class cannot be abused
 * by a client that sends a strange colour string.
 */
function affiliationOf(user: Record<string, unknown>): Affiliation {
  return AFFILIATIONS.includes(user.affiliation as Affiliation) ? (user.affiliation as Affiliation) : 'other'
}

export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const caret = document.createElement('span')
  caret.className = `remote-caret affiliation--${affiliationOf(user)}`
  caret.setAttribute('aria-hidden', 'true')
  const label = document.createElement('span')
  label.className = 'remote-caret__label'
  label.textContent = typeof user.name === 'string' ? user.name : 'Someone'
  caret.append(label)
  return caret
}

export function renderSelection(user: Record<string, unknown>): DecorationAttrs {
  return { class: `remote-selection affiliation--${affiliationOf(user)}` }
}
