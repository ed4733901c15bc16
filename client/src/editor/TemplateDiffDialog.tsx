import { sourceFromClause, sourceWords, variableLabel, wordDiff, type ClauseSource } from '@accord/shared'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Dialog } from '../components/Dialog'

/** The clause's words against the template text it came from: what the committee changed. */
export function TemplateDiffDialog({
  clause,
  number,
  template,
  version,
  onClose,
}: {
  clause: ProseMirrorNode
  number: string
  template: ClauseSource
  version: number
  onClose: () => void
}) {
  const parts = wordDiff(sourceWords(template), sourceWords(sourceFromClause(clause.toJSON()))).map((part) => ({
    ...part,
    // Variables read as their names, as in the editor: "[District]".
    text: part.text.replace(/\{\{([a-zA-Z0-9]+)\}\}/g, (_match, key: string) => `[${variableLabel(key)}]`),
  }))
  return (
    <Dialog title={`Clause ${number} compared with its template`} open onClose={onClose} wide>
      <p className="muted">
        Against version {version} of “{template.title}”. <ins className="diff-ins">Added words</ins> and{' '}
        <del className="diff-del">removed words</del> are marked.
      </p>
      <div className="diff" data-testid="template-diff">
        {parts.map((part, index) =>
          part.kind === 'same' ? (
            <span key={index}>{part.text} </span>
          ) : part.kind === 'inserted' ? (
            <ins key={index} className="diff-ins">
              {part.text}{' '}
            </ins>
          ) : (
            <del key={index} className="diff-del">
              {part.text}{' '}
            </del>
          ),
        )}
      </div>
    </Dialog>
  )
}
