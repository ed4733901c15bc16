import { DOCUMENT_FIELD, documentSchema, MAX_VARIABLE_VALUE_LENGTH, VARIABLES_FIELD } from '@accord/shared/schema'
import { isAllowedLink, VARIABLE_KEY, type RefusedWrite } from '@accord/shared'
import * as Y from 'yjs'
import { ItemPlaces, type ContainerKind, type ItemPlace } from './itemPlaces.js'

/**
 * What an update may contain, derived from the shared document schema: the node, mark and
 * attribute names the editor can produce, and nothing else. A client that sends anything
 * outside it (a script-bearing link, a node the schema does not know, a sub-document) is
 * refused before the update touches the document.
 */
const NODE_NAMES = new Set(Object.keys(documentSchema.nodes).filter((name) => name !== 'doc' && name !== 'text'))
const MARK_NAMES = new Set(Object.keys(documentSchema.marks))
const ATTRIBUTE_NAMES = new Set(Object.values(documentSchema.nodes).flatMap((type) => Object.keys(type.spec.attrs ?? {})))
const MARK_ATTRIBUTE_NAMES = new Set(Object.values(documentSchema.marks).flatMap((type) => Object.keys(type.spec.attrs ?? {})))
const ROOT_KINDS = new Map<string, ContainerKind>([
  [DOCUMENT_FIELD, 'fragment'],
  [VARIABLES_FIELD, 'map'],
])
/** Attribute values are levels, list starts and link targets: short. */
const MAX_ATTRIBUTE_JSON = 2048

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>
type IdRanges = { from: Map<number, number>; to: Map<number, number> }

/** Per client, the first and past-the-last clock the update introduces (what Y.parseUpdateMeta
 * computes, read from the structs already decoded instead of decoding the update again). */
function idRanges(decoded: DecodedUpdate): IdRanges {
  const ranges: IdRanges = { from: new Map(), to: new Map() }
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue
    const { client, clock } = struct.id
    ranges.from.set(client, Math.min(ranges.from.get(client) ?? clock, clock))
    ranges.to.set(client, Math.max(ranges.to.get(client) ?? 0, clock + struct.length))
  }
  return ranges
}

export interface UpdateContext {
  doc: Y.Doc
  /** Who owns each client id already used on this document. */
  clientOwners: ReadonlyMap<number, number>
  userId: number
  /** MAX_UPDATE_BYTES for a single change; more for the catch-up after being offline. */
  maxBytes: number
}

export type Verdict =
  | { ok: true; clients: number[] }
  | {
      ok: false
      refusal: RefusedWrite
      /** With `foreign_client_id`: the other people's client ids, and the clock past their last new id. */
      foreign?: Map<number, number>
    }

const refuse = (code: RefusedWrite['code'], message: string): Verdict => ({ ok: false, refusal: { code, message } })
const MISSING_DEPENDENCIES = refuse('missing_dependencies', 'That change builds on text the server does not have yet; resending.')

/** Checks one incoming update against the size limit, the schema, client ownership and its dependencies. */
export function inspectUpdate(update: Uint8Array, context: UpdateContext): Verdict {
  if (update.byteLength > context.maxBytes) {
    return refuse('too_large', 'That change is larger than the server accepts. Paste less at a time.')
  }
  let decoded: DecodedUpdate
  try {
    decoded = Y.decodeUpdate(update)
  } catch {
    return refuse('invalid_update', 'The server could not read that change.')
  }
  const meta = idRanges(decoded)

  const places = new ItemPlaces(context.doc, decoded.structs, ROOT_KINDS)
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    const place = places.placeOf(struct)
    if (place === 'unknown') return MISSING_DEPENDENCIES
    const problem = contentProblem(struct, place)
    if (problem) return refuse('not_allowed_content', problem)
  }

  const clients: number[] = []
  const foreign = new Map<number, number>()
  for (const [client, from] of meta.from) {
    const to = meta.to.get(client) ?? from
    // Only new ids count: a catch-up (sync step 2) may repeat others' text the document already
    // has, e.g. when it answers a state vector older than what it has since received.
    if (to <= Math.max(from, Y.getState(context.doc.store, client))) continue
    const owner = context.clientOwners.get(client)
    if (owner !== undefined && owner !== context.userId) foreign.set(client, to)
    else clients.push(client)
  }
  if (foreign.size > 0) {
    return { ok: false, refusal: { code: 'foreign_client_id', message: 'That change was made under another person’s editor id.' }, foreign }
  }

  if (!dependenciesPresent(decoded, meta, context.doc)) return MISSING_DEPENDENCIES
  return { ok: true, clients }
}

/**
 * What may go where, as y-prosemirror writes it: blocks (elements) and texts in the fragment's
 * and elements' children, known attributes on elements, characters and formatting in texts,
 * short text values in the variables map. Anything else would be unreadable as ProseMirror
 * content, and the stored document with it.
 */
function contentProblem(item: Y.Item, place: Exclude<ItemPlace, 'unknown'>): string | null {
  if (typeof item.parent === 'string' && !ROOT_KINDS.has(item.parent)) return `Unknown part of the document: ${item.parent}.`
  const content = item.content
  if (content instanceof Y.ContentDeleted || place === 'discarded') return null
  const { container, attribute } = place
  if (container === 'map') return variableProblem(attribute, content)
  if (attribute !== null) {
    if (container !== 'element' || !ATTRIBUTE_NAMES.has(attribute)) return `Unknown attribute: ${attribute}.`
    if (!(content instanceof Y.ContentAny)) return 'Unknown kind of attribute value.'
    return JSON.stringify(content.arr).length > MAX_ATTRIBUTE_JSON ? 'An attribute value is too large.' : null
  }
  if (container === 'text') {
    if (content instanceof Y.ContentString) return null
    if (content instanceof Y.ContentFormat) return markProblem(content.key, content.value)
    return 'Only characters and formatting may go inside text.'
  }
  if (container === 'fragment' || container === 'element') {
    if (!(content instanceof Y.ContentType)) return 'Only blocks and text may go inside a block.'
    const type = content.type
    if (type instanceof Y.XmlText) return null
    if (type instanceof Y.XmlElement) return NODE_NAMES.has(type.nodeName) ? null : `Unknown block: ${type.nodeName}.`
  }
  return 'Unknown kind of content.'
}

/** The variables map holds short text values under variable keys, nothing else. */
function variableProblem(key: string | null, content: Y.Item['content']): string | null {
  if (key === null || !VARIABLE_KEY.test(key)) return 'Unknown variable.'
  const value = content instanceof Y.ContentAny ? content.arr[0] : undefined
  if (typeof value !== 'string' || value.length > MAX_VARIABLE_VALUE_LENGTH) {
    return `A variable's value is text of at most ${MAX_VARIABLE_VALUE_LENGTH} characters.`
  }
  return null
}

function markProblem(key: string, value: unknown): string | null {
  // y-prosemirror names marks that may overlap themselves `<mark>--<hash>`.
  const name = key.split('--')[0]!
  if (!MARK_NAMES.has(name)) return `Unknown formatting: ${name}.`
  if (value === null) return null
  if (typeof value !== 'object' || Array.isArray(value)) return 'Formatting attributes must be an object.'
  if (JSON.stringify(value).length > MAX_ATTRIBUTE_JSON) return 'Formatting attributes are too large.'
  for (const [attribute, attributeValue] of Object.entries(value)) {
    if (!MARK_ATTRIBUTE_NAMES.has(attribute)) return `Unknown formatting attribute: ${attribute}.`
    if (name === 'link' && attribute === 'href' && (typeof attributeValue !== 'string' || !isAllowedLink(attributeValue))) {
      return 'Links may point only to web pages (http, https) or e-mail addresses.'
    }
  }
  return null
}

/**
 * True when everything the update builds on is in the document or in the update itself.
 * Otherwise Yjs would hold it back as "pending" and later store it under whoever happened to
 * complete it; we refuse it instead and ask the client to resend from what we have.
 */
function dependenciesPresent(
  decoded: DecodedUpdate,
  meta: IdRanges,
  doc: Y.Doc,
): boolean {
  const known = (id: Y.ID | null) => {
    if (id === null) return true
    if (id.clock < Y.getState(doc.store, id.client)) return true
    const from = meta.from.get(id.client)
    const to = meta.to.get(id.client)
    return from !== undefined && to !== undefined && id.clock >= from && id.clock < to
  }
  for (const [client, from] of meta.from) {
    if (from > Y.getState(doc.store, client)) return false
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    if (!known(struct.origin) || !known(struct.rightOrigin)) return false
    if (struct.parent !== null && typeof struct.parent !== 'string' && !known(struct.parent as unknown as Y.ID)) return false
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const state = Math.max(Y.getState(doc.store, client), meta.to.get(client) ?? 0)
    for (const range of ranges) if (range.clock + range.len > state) return false
  }
  return true
}

/**
 * `update` without the given clients' structs (another person's new text, from a refusal).
 * After a crash a catch-up can carry another person's words that the server broadcast and then
 * lost (it broadcasts before it stores): they are that person's to resend and may not be stored
 * under the sender's name, but the sender's own work must not be refused with them (a refused
 * write resets the browser's copy).
 */
export function withoutClients(update: Uint8Array, clients: ReadonlyMap<number, number>): Uint8Array {
  // A state vector that claims every id of those clients up to their last: diffUpdate drops them.
  return Y.diffUpdate(update, Y.encodeStateVector(new Map(clients)))
}

/**
 * The part of `update` that `doc` can place now, leaving out what builds on text it lacks.
 * Copies the document to find out: call it only on the rare path that needs it.
 */
export function placeablePart(doc: Y.Doc, update: Uint8Array): Uint8Array {
  const scratch = new Y.Doc()
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(scratch)
  Y.applyUpdate(scratch, update)
  // Yjs would include what it holds back in the encoding; only what it could place is kept.
  scratch.store.pendingStructs = null
  scratch.store.pendingDs = null
  const part = Y.encodeStateAsUpdate(scratch, before)
  scratch.destroy()
  return part
}

/**
 * Whether applying `update` to `doc` would change nothing: every struct is already there and
 * every deletion already made. A read-only member's client sends such updates: its answer to
 * the server's sync step 1 always carries its whole delete set, which it learnt from the server.
 */
export function changesNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update)
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return false
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    for (const { clock, len } of ranges) {
      if (len === 0) continue
      if (!structs || clock + len > Y.getState(doc.store, client)) return false
      for (let index = Y.findIndexSS(structs, clock); index < structs.length && structs[index]!.id.clock < clock + len; index++) {
        if (!structs[index]!.deleted) return false
      }
    }
  }
  return true
}
