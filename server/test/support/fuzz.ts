import * as encoding from 'lib0/encoding'
import * as prng from 'lib0/prng'
import * as Y from 'yjs'

/** A seeded generator (lib0's, as the random edits use), so a failing fuzz case can be replayed from its seed. */
export function seededRandom(seed: number): Random {
  const generator = prng.create(seed)
  return () => prng.real53(generator)
}

export type Random = () => number

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!
const below = (random: Random, n: number) => Math.floor(random() * n)

/** Real updates an editor could send: paragraphs, formatting, deletions, a variable. */
export function realUpdates(random: Random, count: number): Uint8Array[] {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  const fragment = doc.getXmlFragment('default')
  for (let i = 0; i < count; i++) {
    const choice = below(random, 4)
    if (choice === 0 || fragment.length === 0) {
      const paragraph = new Y.XmlElement('paragraph')
      const text = new Y.XmlText()
      paragraph.insert(0, [text])
      fragment.push([paragraph])
      text.insert(0, `Clause ${i} text`, random() < 0.3 ? { bold: {} } : undefined)
    } else if (choice === 1) {
      const paragraph = fragment.get(below(random, fragment.length)) as Y.XmlElement
      const text = paragraph.get(0) as Y.XmlText
      text.insert(below(random, text.length + 1), 'more words ')
    } else if (choice === 2) {
      const paragraph = fragment.get(below(random, fragment.length)) as Y.XmlElement
      const text = paragraph.get(0) as Y.XmlText
      if (text.length > 2) text.delete(below(random, text.length - 1), 1)
    } else {
      doc.getMap('variables').set('district', `District ${i}`)
    }
  }
  doc.destroy()
  return updates
}

/** One damaged copy of a real update: bits flipped, cut short, spliced with another, or bytes repeated. */
export function mutateUpdate(random: Random, update: Uint8Array, other: Uint8Array): { how: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(update)
  switch (below(random, 6)) {
    case 0: {
      const flips = 1 + below(random, 4)
      for (let i = 0; i < flips; i++) bytes[below(random, bytes.length)]! ^= 1 << below(random, 8)
      return { how: `${flips} bit flips`, bytes }
    }
    case 1:
      return { how: 'truncated', bytes: bytes.slice(0, below(random, bytes.length)) }
    case 2: {
      const cut = below(random, bytes.length)
      const from = below(random, other.length)
      return { how: 'spliced', bytes: concat(bytes.slice(0, cut), other.slice(from)) }
    }
    case 3: {
      const at = below(random, bytes.length)
      const run = bytes.slice(at, at + 1 + below(random, 16))
      return { how: 'bytes repeated', bytes: concat(bytes.slice(0, at), run, run, bytes.slice(at)) }
    }
    case 4: {
      // A length or count turned huge: the decoder must not allocate what it claims.
      const at = below(random, bytes.length)
      return { how: 'huge varint', bytes: concat(bytes.slice(0, at), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), bytes.slice(at + 1)) }
    }
    default: {
      const at = below(random, bytes.length)
      bytes[at] = pick(random, [0, 0x7f, 0x80, 0xff])
      return { how: 'byte set to an edge value', bytes }
    }
  }
}

/** A whole frame that is not what the protocol allows: unknown types, cut varints, junk. */
export function hostileFrame(random: Random): { how: string; bytes: Uint8Array } {
  switch (below(random, 6)) {
    case 0:
      return { how: 'unknown message type', bytes: message((e) => encoding.writeVarUint(e, 4 + below(random, 96))) }
    case 1:
      return { how: 'truncated varint', bytes: new Uint8Array([0x80, 0x80, 0x80]) }
    case 2:
      return { how: 'unknown sync step', bytes: message((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 3 + below(random, 50)))) }
    case 3:
      return { how: 'sync message with a cut payload', bytes: message((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 1000))) }
    case 4:
      return { how: 'awareness that is not JSON', bytes: awarenessFrame(1 + below(random, 1000), '{"cursor":') }
    default: {
      const junk = new Uint8Array(1 + below(random, 64))
      for (let i = 0; i < junk.length; i++) junk[i] = below(random, 256)
      return { how: 'random bytes', bytes: junk }
    }
  }
}

/** A sync update message (type 0, step 2 = update) carrying `update`. */
export function updateFrame(update: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, update)
  })
}

/** A sync step 1 (type 0, step 0): "send me what I lack". An empty state vector asks for everything. */
export function syncStep1Frame(stateVector: Uint8Array = new Uint8Array([0])): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint8Array(e, stateVector)
  })
}

/** An awareness message for one client id with the given JSON state text. */
export function awarenessFrame(clientId: number, stateJson: string, clock = 1): Uint8Array {
  return awarenessFrameOf([{ clientId, clock, stateJson }])
}

export function awarenessFrameOf(entries: { clientId: number; clock: number; stateJson: string }[]): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId)
    encoding.writeVarUint(inner, entry.clock)
    encoding.writeVarString(inner, entry.stateJson)
  }
  return message((e) => {
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  })
}

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
