import { describe, expect, it } from 'vitest'
import {
  clauseBodyToMarkup,
  clauseFromSource,
  markupToClauseBody,
  markupToSource,
  sourceFromClause,
  sourceToMarkup,
  templateRequest,
  variablesIn,
  type ClauseSource,
} from '../src/index.js'

// Representative templates, written the way the starter library writes them.
const complaints: ClauseSource = {
  title: 'Complaints and grievances',
  body: [
    'Anyone may complain about the conduct of an officer at a {{district}} school, or about how {{policeDepartment}} carried out this agreement.',
    'Complaints may be made:',
    '- in writing to the {{districtLiaison}};\n- by email or through the district website; or\n- in person at any school office.',
  ],
  subclauses: [
    {
      title: 'How complaints are handled',
      body: ['The {{districtLiaison}} logs every complaint within two school days and answers within {{complaintDays}} days.'],
      subclauses: [
        { title: 'Time limits', body: ['A complaint may be made up to one year after the event.'] },
        {
          title: 'Help for families',
          body: ['The district helps any family that asks to make a complaint:', '- in their own language; and\n- with a trusted adult present.'],
        },
      ],
    },
    { title: 'Reporting', body: ['Complaints are counted in the report for each {{reportingPeriod}}.'] },
  ],
}

const definitions: ClauseSource = {
  title: 'Definitions',
  body: ['In this agreement:', '- “Board” means the {{district}} Board of Education.\n- “Officer” means any sworn member of {{policeDepartment}}.'],
}

const term: ClauseSource = {
  title: 'Term of {{termYears}} years',
  body: ['This agreement starts on {{effectiveDate}} and lasts {{termYears}} years.'],
  subclauses: [{ title: 'Renewal', body: [] }, { title: 'Ending early', body: ['Either party may end it with {{noticeDays}} days’ notice.'] }],
}

const titleOnly: ClauseSource = { title: 'Signatures', body: [] }

const roundTrip = (source: ClauseSource) => markupToSource(sourceToMarkup(source))

describe('clause markup', () => {
  it('writes the format people edit: title, blank lines, lists and ## / ### headings', () => {
    expect(sourceToMarkup(complaints)).toBe(
      [
        'Complaints and grievances',
        '',
        'Anyone may complain about the conduct of an officer at a {{district}} school, or about how {{policeDepartment}} carried out this agreement.',
        '',
        'Complaints may be made:',
        '',
        '- in writing to the {{districtLiaison}};',
        '- by email or through the district website; or',
        '- in person at any school office.',
        '',
        '## How complaints are handled',
        '',
        'The {{districtLiaison}} logs every complaint within two school days and answers within {{complaintDays}} days.',
        '',
        '### Time limits',
        '',
        'A complaint may be made up to one year after the event.',
        '',
        '### Help for families',
        '',
        'The district helps any family that asks to make a complaint:',
        '',
        '- in their own language; and',
        '- with a trusted adult present.',
        '',
        '## Reporting',
        '',
        'Complaints are counted in the report for each {{reportingPeriod}}.',
      ].join('\n'),
    )
    expect(sourceToMarkup(titleOnly)).toBe('Signatures')
  })

  it('round-trips representative templates exactly', () => {
    for (const source of [complaints, definitions, term, titleOnly]) {
      expect(roundTrip(source)).toStrictEqual(source)
      expect(markupToClauseBody(clauseBodyToMarkup(source))).toStrictEqual(
        source.subclauses ? { body: source.body, subclauses: source.subclauses } : { body: source.body },
      )
      expect(variablesIn(roundTrip(source))).toEqual(variablesIn(source))
    }
  })

  it('reads markup typed by hand', () => {
    const typed = [
      '',
      '  Data sharing  ',
      'Records are shared only as the law requires.',
      'A second line of the same paragraph.',
      '',
      '',
      '- first',
      '- second',
      '### Straight to level three',
      'nests under the clause, as there is no "##" open',
      '## Level two',
      '### Level three',
      'text',
      '## Back to two',
      '##',
      '#### Four',
      '##Not a heading',
      '',
    ].join('\n')
    expect(markupToSource(typed)).toStrictEqual({
      title: 'Data sharing  ',
      body: ['Records are shared only as the law requires.\nA second line of the same paragraph.', '- first\n- second'],
      subclauses: [
        { title: 'Straight to level three', body: ['nests under the clause, as there is no "##" open'] },
        { title: 'Level two', body: [], subclauses: [{ title: 'Level three', body: ['text'] }] },
        { title: 'Back to two', body: [] },
        { title: '', body: [], subclauses: [{ title: 'Four', body: ['##Not a heading'] }] },
      ],
    })
    // A list may follow its lead-in line directly, and a paragraph may follow the list.
    expect(markupToSource('Training\nOfficers learn:\n- de-escalation;\n- student rights.\nEvery year.')).toStrictEqual({
      title: 'Training',
      body: ['Officers learn:', '- de-escalation;\n- student rights.', 'Every year.'],
    })
    expect(markupToSource('')).toStrictEqual({ title: '', body: [] })
    expect(markupToClauseBody('')).toStrictEqual({ body: [] })
  })

  it('escapes what would otherwise read as structure, and still round-trips', () => {
    const awkward: ClauseSource[] = [
      { title: '', body: ['', ' ', 'a\n\nb', 'trailing\n', '## not a heading', '#### nor this', '\\ starts with a backslash', '\\'] },
      { title: '  leading spaces', body: ['x'] },
      { title: 'two\nlines', body: [] },
      { title: '\\backslash \\n', body: [] },
      { title: '## looks like a heading', body: ['- a\n## b\n- c'] },
      { title: 'T', body: [], subclauses: [{ title: '', body: [''] }, { title: ' x\ny\\', body: ['##'] }] },
      {
        title: 'Four deep',
        body: [],
        subclauses: [{ title: 'a', body: [], subclauses: [{ title: 'b', body: [], subclauses: [{ title: 'c', body: ['d'] }] }] }],
      },
      { title: 'Windows\r', body: ['line\r\nline\r', '\r'] },
      { title: 'Mixed', body: ['- a\nb', 'a\n- b\n- c', '- a\n', '- ', '-'] },
    ]
    for (const source of awkward) expect(roundTrip(source)).toStrictEqual(source)
    expect(sourceToMarkup({ title: 'T', body: ['## x', ''] })).toBe('T\n\n\\## x\n\n\\')
    // Text and "- " lines in one paragraph (shown as one run of text): the "- " lines are escaped.
    expect(sourceToMarkup({ title: 'T', body: ['Lead-in\n- not an item'] })).toBe('T\n\nLead-in\n\\- not an item')
  })

  it('round-trips random sources built from the characters that matter', () => {
    // A small deterministic generator (mulberry32), so a failure is reproducible.
    let seed = 42
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const pieces = ['#', '##', ' ', '\n', '\\', '- ', 'a', 'word', '{{district}}', '\t', '\n\n', 'n']
    const text = () => Array.from({ length: Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join('')
    const source = (depth: number): ClauseSource => {
      const subclauses = depth < 3 ? Array.from({ length: Math.floor(random() * 3) }, () => source(depth + 1)) : []
      return {
        title: text(),
        body: Array.from({ length: Math.floor(random() * 4) }, text),
        ...(subclauses.length > 0 ? { subclauses } : {}),
      }
    }
    for (let run = 0; run < 2000; run++) {
      const original = source(1)
      expect(roundTrip(original)).toStrictEqual(original)
    }
  })

  it('gives the server what it accepts, and the document what the preview shows', () => {
    const markup = sourceToMarkup(complaints)
    const { title, ...rest } = markupToSource(markup)
    expect(templateRequest.safeParse({ title, category: 'accountability', summary: 'How complaints work.', ...rest }).success).toBe(true)
    // Insert the clause, read it back as a template would be saved from the document: the same markup.
    let id = 0
    const clause = clauseFromSource(markupToSource(markup), () => `c${id++}`)
    expect(sourceToMarkup(sourceFromClause(clause))).toBe(markup)
  })
})
