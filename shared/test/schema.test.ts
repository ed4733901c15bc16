import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import { clauseFromSource, inlineContent, variablesIn } from '../src/index.js'
import { clauseNumberById, documentSchema, numberClauses } from '../src/schema/index.js'

// Tiny builders, in the manner of prosemirror-test-builder.
const text = (value: string): JSONContent => ({ type: 'text', text: value })
const p = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content })
const title = (value: string): JSONContent => ({ type: 'clauseTitle', content: value ? [text(value)] : [] })
const clause = (id: string, heading: string, ...content: JSONContent[]): JSONContent => ({
  type: 'clause',
  attrs: { id },
  content: [title(heading), ...content],
})
const doc = (...content: JSONContent[]) => documentSchema.nodeFromJSON({ type: 'doc', content })
const numbers = (node: ReturnType<typeof doc>) => numberClauses(node).map((entry) => `${entry.number} ${entry.title}`)

describe('the document schema', () => {
  it('round-trips every node type through fromJSON, check() and toJSON', () => {
    const json: JSONContent = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [text('Memorandum of Understanding')] },
        p(text('Between '), { type: 'variable', attrs: { key: 'district' } }, text(' and the police.')),
        {
          type: 'clause',
          attrs: { id: 'purpose', templateId: 't-1', templateVersion: 2 },
          content: [
            title('Purpose'),
            p(text('See '), { type: 'crossReference', attrs: { clauseId: 'term' } }, { type: 'hardBreak' }, text('bold')),
            { type: 'bulletList', content: [{ type: 'listItem', content: [p(text('one'))] }] },
            { type: 'orderedList', attrs: { start: 1, type: null }, content: [{ type: 'listItem', content: [p(text('two'))] }] },
            { type: 'blockquote', content: [p(text('quoted'))] },
            clause('scope', 'Scope', p(text('Sub-clause'))),
          ],
        },
        clause('term', 'Term', p(text('Two years.'))),
        { type: 'signatureBlock', attrs: { signatories: [{ party: '{{district}}', name: 'A', title: 'B' }] } },
      ],
    }
    const node = documentSchema.nodeFromJSON(json)
    node.check()
    const again = documentSchema.nodeFromJSON(node.toJSON())
    again.check()
    expect(again.toJSON()).toEqual(node.toJSON())
    expect(node.toJSON().content[2].attrs).toEqual({ id: 'purpose', templateId: 't-1', templateVersion: 2 })
  })

  it('refuses a clause without a title and a clause inside a list', () => {
    expect(() => doc({ type: 'clause', attrs: { id: 'x' }, content: [p(text('no title'))] }).check()).toThrow()
    expect(() =>
      doc({ type: 'bulletList', content: [{ type: 'listItem', content: [clause('x', 'Nested')] }] }).check(),
    ).toThrow()
  })
})

describe('clause numbering', () => {
  it('numbers top-level clauses in order, skipping the blocks between them', () => {
    const node = doc(p(text('Preamble')), clause('a', 'Purpose'), { type: 'heading', attrs: { level: 2 }, content: [text('Part two')] }, clause('b', 'Scope'))
    expect(numbers(node)).toEqual(['1 Purpose', '2 Scope'])
  })

  it('nests to three levels and more', () => {
    const node = doc(clause('a', 'One', clause('b', 'One-one', clause('c', 'Deep'), clause('d', 'Deep two')), clause('e', 'One-two')), clause('f', 'Two'))
    expect(numbers(node)).toEqual(['1 One', '1.1 One-one', '1.1.1 Deep', '1.1.2 Deep two', '1.2 One-two', '2 Two'])
  })

  it('renumbers after a move and after a delete', () => {
    const before = doc(clause('a', 'Complaints'), clause('b', 'Data'), clause('c', 'Term'))
    const moved = doc(clause('b', 'Data'), clause('a', 'Complaints'), clause('c', 'Term'))
    const deleted = doc(clause('a', 'Complaints'), clause('c', 'Term'))
    expect(clauseNumberById(before).get('c')).toBe('3')
    expect(clauseNumberById(moved).get('a')).toBe('2')
    expect(clauseNumberById(deleted).get('c')).toBe('2')
    expect(clauseNumberById(deleted).has('b')).toBe(false)
  })
})

describe('templates as document content', () => {
  it('turns placeholders into variables and dashed lines into a list', () => {
    expect(inlineContent('{{district}} and {{policeDepartment}} agree')).toEqual([
      { type: 'variable', attrs: { key: 'district' } },
      text(' and '),
      { type: 'variable', attrs: { key: 'policeDepartment' } },
      text(' agree'),
    ])
    let next = 0
    const source = { title: 'Training', body: ['Officers complete {{trainingHours}} hours.', '- de-escalation\n- disability'], subclauses: [{ title: 'Refreshers', body: ['Yearly.'] }] }
    const json = clauseFromSource(source, () => `id${next++}`, { templateId: 'tpl', templateVersion: 3 })
    const node = doc(json)
    node.check()
    expect(json.attrs).toEqual({ id: 'id0', templateId: 'tpl', templateVersion: 3 })
    expect(node.firstChild!.child(2).type.name).toBe('bulletList')
    expect(numbers(node)).toEqual(['1 Training', '1.1 Refreshers'])
    expect(variablesIn(source)).toEqual(['trainingHours'])
  })
})

describe('a clause back to template source', () => {
  it('inverts clauseFromSource for text, variables, lists and sub-clauses', async () => {
    const { sourceFromClause } = await import('../src/index.js')
    const source = {
      title: 'Training for {{policeDepartment}}',
      body: ['Officers complete {{trainingHours}} hours.', '- de-escalation\n- disability'],
      subclauses: [{ title: 'Refreshers', body: ['Every year.'] }],
    }
    let next = 0
    const json = doc(clauseFromSource(source, () => `id${next++}`)).toJSON().content[0]
    expect(sourceFromClause(json)).toEqual(source)
  })
})

describe('word differences', () => {
  it('marks inserted and deleted runs between the same words', async () => {
    const { wordDiff } = await import('../src/index.js')
    const words = (text: string) => text.split(' ')
    expect(wordDiff(words('police may be called for emergencies'), words('police may only be called for serious emergencies'))).toEqual([
      { kind: 'same', text: 'police may' },
      { kind: 'inserted', text: 'only' },
      { kind: 'same', text: 'be called for' },
      { kind: 'inserted', text: 'serious' },
      { kind: 'same', text: 'emergencies' },
    ])
    expect(wordDiff(words('a b c'), words('a c'))).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'deleted', text: 'b' },
      { kind: 'same', text: 'c' },
    ])
  })
})
