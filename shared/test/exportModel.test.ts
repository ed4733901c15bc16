import { describe, expect, it } from 'vitest'
import { buildExportModel, canonicalText } from '../src/export/model.js'
import { documentSchema, numberClauses } from '../src/schema/index.js'

const text = (value: string, marks: object[] = []) => ({ type: 'text', text: value, ...(marks.length ? { marks } : {}) })
const clause = (id: string, title: string, ...content: object[]) => ({ type: 'clause', attrs: { id }, content: [{ type: 'clauseTitle', content: [text(title)] }, ...content] })

const doc = documentSchema.nodeFromJSON({
  type: 'doc',
  content: [
    { type: 'paragraph', content: [text('Preamble')] },
    clause('a', 'Purpose', clause('b', 'Scope', clause('c', 'Detail')), clause('d', 'Limits')),
    { type: 'heading', attrs: { level: 2 }, content: [text('Between clauses')] },
    clause('e', 'Term', { type: 'paragraph', content: [text('See '), { type: 'crossReference', attrs: { clauseId: 'c' } }, text(' and '), { type: 'crossReference', attrs: { clauseId: 'gone' } }] }),
    { type: 'paragraph', content: [text('click', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]), text('\u0000\ud800')] },
  ],
})

describe('the export model', () => {
  const model = buildExportModel({ title: 'MOU', doc, variables: new Map() })

  it('numbers clauses exactly as numberClauses does', () => {
    const numbers: string[] = []
    const collect = (blocks: typeof model.blocks) => {
      for (const block of blocks) {
        if (block.type !== 'clause') continue
        numbers.push(block.number)
        collect(block.blocks)
      }
    }
    collect(model.blocks)
    expect(numbers).toEqual(numberClauses(doc).map((numbered) => numbered.number))
    expect(numbers).toEqual(['1', '1.1', '1.1.1', '1.2', '2'])
  })

  it('resolves cross-references, marks broken ones, drops unsafe links and unrepresentable characters', () => {
    const lines = canonicalText(model).split('\n')
    expect(lines).toContain('    See Section 1.1.1 and Section ? (deleted clause)')
    expect(lines).toContain('click\ufffd\ufffd')
    const last = model.blocks.at(-1)
    expect(last?.type === 'paragraph' && last.runs[0]?.link).toBe(null)
  })
})
