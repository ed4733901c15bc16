import { mergeAttributes, Node } from '@tiptap/core'

/**
 * The MOU's own structure. A `clause` is a numbered section: a title, body blocks, then its
 * sub-clauses. Numbers are not stored (see numbering.ts). Each clause keeps a stable id that
 * survives edits and moves, and the template it came from.
 */
export const Clause = Node.create({
  name: 'clause',
  group: 'section',
  content: 'clauseTitle block* clause*',
  defining: true,
  isolating: true,
  addAttributes() {
    return {
      id: { default: null, parseHTML: (element) => element.getAttribute('data-clause-id'), renderHTML: (attrs) => ({ 'data-clause-id': attrs.id }) },
      templateId: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-template-id'),
        renderHTML: (attrs) => (attrs.templateId ? { 'data-template-id': attrs.templateId } : {}),
      },
      templateVersion: {
        default: null,
        parseHTML: (element) => Number(element.getAttribute('data-template-version')) || null,
        renderHTML: (attrs) => (attrs.templateVersion ? { 'data-template-version': attrs.templateVersion } : {}),
      },
    }
  },
  parseHTML() {
    return [{ tag: 'section[data-clause-id]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['section', mergeAttributes(HTMLAttributes, { class: 'clause' }), 0]
  },
})

export const ClauseTitle = Node.create({
  name: 'clauseTitle',
  content: 'inline*',
  marks: '',
  defining: true,
  parseHTML() {
    return [{ tag: 'h4.clause-title' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['h4', mergeAttributes(HTMLAttributes, { class: 'clause-title' }), 0]
  },
})

/** An inline field (District, Effective Date…) whose value is set once per document. */
export const Variable = Node.create({
  name: 'variable',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      key: { default: null, parseHTML: (element) => element.getAttribute('data-variable'), renderHTML: (attrs) => ({ 'data-variable': attrs.key }) },
    }
  },
  parseHTML() {
    return [{ tag: 'span[data-variable]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['span', mergeAttributes(HTMLAttributes, { class: 'variable' })]
  },
})

/** "see Section 4.2": points at a clause by id and always shows its current number. */
export const CrossReference = Node.create({
  name: 'crossReference',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      clauseId: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-clause-ref'),
        renderHTML: (attrs) => ({ 'data-clause-ref': attrs.clauseId }),
      },
    }
  },
  parseHTML() {
    return [{ tag: 'span[data-clause-ref]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['span', mergeAttributes(HTMLAttributes, { class: 'cross-reference' })]
  },
})

export interface SignatoryLine {
  party: string
  name: string
  title: string
}

/** The parties' signature lines: who signs for whom, with name, title and date lines. */
export const SignatureBlock = Node.create({
  name: 'signatureBlock',
  group: 'section',
  atom: true,
  selectable: true,
  draggable: false,
  addAttributes() {
    return {
      signatories: {
        default: [
          { party: '{{district}}', name: '{{superintendent}}', title: 'Superintendent' },
          { party: '{{policeDepartment}}', name: '{{chiefOfPolice}}', title: 'Chief of Police' },
        ] satisfies SignatoryLine[],
        parseHTML: (element) => {
          try {
            return JSON.parse(element.getAttribute('data-signatories') ?? '[]') as SignatoryLine[]
          } catch {
            return []
          }
        },
        renderHTML: (attrs) => ({ 'data-signatories': JSON.stringify(attrs.signatories) }),
      },
    }
  },
  parseHTML() {
    return [{ tag: 'div[data-signatories]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['div', mergeAttributes(HTMLAttributes, { class: 'signature-block' })]
  },
})
