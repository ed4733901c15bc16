import * as Y from 'yjs'

/** The kinds of Yjs type a document holds: the ProseMirror fragment, its elements and texts, and the variables map. */
export type ContainerKind = 'fragment' | 'element' | 'text' | 'map' | 'other'

/**
 * Where an incoming item will land: inside which kind of type, and under which attribute
 * (`null` for a position in its children), or `discarded` when Yjs will turn it into garbage
 * because a neighbour or its parent was already collected.
 */
export type ItemPlace = { container: ContainerKind; attribute: string | null } | 'discarded' | 'unknown'

type DecodedStruct = Y.Item | Y.GC | Y.Skip

/**
 * Resolves the places of an update's items the way Yjs does when it integrates them
 * (`Item.getMissing`): an item names its parent only when it has no neighbours; otherwise it
 * takes its left neighbour's parent and attribute key, or its right one's. Neighbours and
 * parents are looked up in the document and in the update itself.
 */
export class ItemPlaces {
  private readonly byClient = new Map<number, DecodedStruct[]>()
  private readonly resolved = new Map<Y.Item, ItemPlace>()

  constructor(
    private readonly doc: Y.Doc,
    structs: readonly DecodedStruct[],
    private readonly rootKinds: ReadonlyMap<string, ContainerKind>,
  ) {
    for (const struct of structs) {
      const list = this.byClient.get(struct.id.client)
      if (list) list.push(struct)
      else this.byClient.set(struct.id.client, [struct])
    }
  }

  /** The kind of a type in the document or in the update. A root type the server has not read is still untyped. */
  private kindOf(type: unknown): ContainerKind {
    // Subclasses first: XmlElement extends XmlFragment.
    if (type instanceof Y.XmlText) return 'text'
    if (type instanceof Y.XmlElement) return 'element'
    if (type instanceof Y.AbstractType && type._item === null) return this.rootKinds.get(Y.findRootTypeKey(type)) ?? 'other'
    if (type instanceof Y.XmlFragment) return 'fragment'
    if (type instanceof Y.Map) return 'map'
    return 'other'
  }

  placeOf(item: Y.Item): ItemPlace {
    const known = this.resolved.get(item)
    if (known !== undefined) return known
    // Guards against an update whose items name each other as neighbours in a loop.
    this.resolved.set(item, 'unknown')
    const place = this.resolve(item)
    this.resolved.set(item, place)
    return place
  }

  private resolve(item: Y.Item): ItemPlace {
    const neighbour = item.origin ?? item.rightOrigin
    if (neighbour !== null) return this.placeBeside(neighbour)
    const parent = item.parent as unknown
    if (typeof parent === 'string') return { container: this.rootKinds.get(parent) ?? 'other', attribute: item.parentSub }
    if (parent instanceof Y.ID) {
      const container = this.containerAt(parent)
      return container === 'discarded' || container === 'unknown' ? container : { container, attribute: item.parentSub }
    }
    return 'unknown'
  }

  /** The place of a new item next to the struct holding `id`. */
  private placeBeside(id: Y.ID): ItemPlace {
    const existing = this.storedStruct(id)
    if (existing instanceof Y.GC) return 'discarded'
    if (existing instanceof Y.Item) {
      if (existing.parent === null) return 'discarded'
      return { container: this.kindOf(existing.parent), attribute: existing.parentSub }
    }
    const incoming = this.incomingStruct(id)
    if (incoming instanceof Y.GC) return 'discarded'
    if (incoming instanceof Y.Item) return this.placeOf(incoming)
    return 'unknown'
  }

  /** The kind of type inside the item `id`, which a new item names as its parent. */
  private containerAt(id: Y.ID): ContainerKind | 'discarded' | 'unknown' {
    const struct = this.storedStruct(id) ?? this.incomingStruct(id)
    if (struct === null || struct instanceof Y.Skip) return 'unknown'
    if (struct instanceof Y.GC) return 'discarded'
    return struct.content instanceof Y.ContentType ? this.kindOf(struct.content.type) : 'other'
  }

  private storedStruct(id: Y.ID): Y.Item | Y.GC | null {
    if (id.clock >= Y.getState(this.doc.store, id.client)) return null
    return Y.getItem(this.doc.store, id) as Y.Item | Y.GC
  }

  private incomingStruct(id: Y.ID): DecodedStruct | null {
    const list = this.byClient.get(id.client)
    if (!list) return null
    for (const struct of list) {
      if (id.clock >= struct.id.clock && id.clock < struct.id.clock + struct.length) return struct
    }
    return null
  }
}
