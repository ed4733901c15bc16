import { describe, expect, it } from 'vitest'
import { mentionedUsernames, splitMentions } from '../src/text/mentions.js'

describe('mentions in comment text', () => {
  it('finds @usernames, lower-cased, once each, without the full stop that ends a sentence', () => {
    expect(mentionedUsernames('Can @Sam and @jo.rivera look? Thanks @sam.')).toEqual(['sam', 'jo.rivera'])
    expect(mentionedUsernames('(@lee_2) and @maria-o, please')).toEqual(['lee_2', 'maria-o'])
  })

  it('ignores e-mail addresses, a lone @ and names too short to be usernames', () => {
    expect(mentionedUsernames('Write to clerk@district.org or @ the office, @a')).toEqual([])
  })

  it('keeps every character of the text, in order, when splitting it', () => {
    const text = 'Ask @sam <b>now</b>, then @lee.'
    const parts = splitMentions(text)
    expect(parts.map((part) => part.text).join('')).toBe(text)
    expect(parts.filter((part) => part.mention)).toEqual([
      { text: '@sam', mention: 'sam' },
      { text: '@lee', mention: 'lee' },
    ])
  })
})
