import { patchDependency, type SourcePatch } from './patchDependency'

/**
 * Patches to @tiptap/y-tiptap 3.0.9, applied as the client is bundled. Each skips work the
 * binding does on every ProseMirror transaction, which walks the whole document (every block
 * before the caret, twice, and every block to compare): in a 100,000-word MOU each redraw of
 * the other people's carets (a transaction that changes no text) cost milliseconds, several
 * times a second, and kept keystrokes waiting (bench scenario 7).
 * - The sync plugin's view update copies ProseMirror's document into Yjs: when a transaction left
 *   the document as it was, there is nothing to copy.
 * - The undo plugin remembers the selection before each transaction, for the undo step the
 *   next change will make: only a transaction that changes the document makes one.
 * - A change from another screen made the binding forget which ProseMirror node stands for
 *   which Yjs block and build every block again (so a block moved by drag and drop is measured
 *   afresh): ~13 ms per character someone else typed. When another person only typed or
 *   formatted text, no block moved; the binding has already dropped the changed blocks from its
 *   mapping, so only those are built again, as y-prosemirror did. Structural changes still
 *   rebuild everything.
 * - Copying a local edit into Yjs first looks for blocks that moved, which builds an index of
 *   every child and a longest increasing subsequence (~0.5 ms a keystroke in that MOU). With as
 *   many children as before and every mapped child where it was, nothing moved: the search is
 *   skipped and the children are compared from both ends, as before y-tiptap 3.
 * - A change from another screen replaced the whole document in ProseMirror, so every plugin
 *   (clause numbers, placeholders, carets) and the view treated every block as changed: about
 *   10 ms at the median per character another drafter typed into the 100,000-word MOU in
 *   clauses (2.3 ms now). Only the range that differs is replaced; unchanged blocks are the same
 *   node objects, so finding that range compares identities. If the narrow step would not give
 *   exactly the new document, the whole document is replaced as before.
 * - Each keystroke converted the selection to Yjs positions three times, each a walk over the
 *   blocks before the caret. The binding's two conversions are for restoring the selection
 *   after a change from elsewhere, and are dropped unread when the change is this editor's own:
 *   they are skipped for it. The undo plugin's is stored with a new undo step: a keystroke that
 *   joins the last step (within Yjs' captureTimeout) keeps the one it has.
 * If an upgrade changes the patched lines, the build fails here rather than running unpatched.
 */
const PATCHES: SourcePatch[] = [
  {
    find: `      return {
        update: () => {
          const pluginState = plugin.getState(view.state);`,
    replace: `      return {
        update: (_view, prevState) => {
          if (initialContentChanged && prevState && prevState.doc === view.state.doc) return
          const pluginState = plugin.getState(view.state);`,
  },
  {
    find: `      // current node sizes after structural changes (e.g. drag-and-drop block moves).
      this.mapping.clear();`,
    replace: `      // current node sizes after structural changes (e.g. drag-and-drop block moves).
      if (![...transaction.changed.keys()].every((type) => type instanceof Y.XmlText)) this.mapping.clear();`,
  },
  {
    find: `  if (reconcileMappedChildren(y, yDomFragment, pChildren, yChildren, meta)) {`,
    replace: `  if (mayHaveMovedChildren(pChildren, yChildren, meta) && reconcileMappedChildren(y, yDomFragment, pChildren, yChildren, meta)) {`,
  },
  {
    find: `const updateYFragment = (y, yDomFragment, pNode, meta) => {`,
    replace: `const mayHaveMovedChildren = (pChildren, yChildren, meta) => {
  if (pChildren.length !== yChildren.length) return true
  let changed = 0
  for (let index = 0; index < yChildren.length; index++) {
    const mapped = meta.mapping.get(yChildren[index])
    if (mapped === undefined || mappedIdentity(mapped, pChildren[index])) continue
    if (++changed > 8) return true
    if (pChildren.some((pChild) => mappedIdentity(mapped, pChild))) return true
  }
  return false
};

const updateYFragment = (y, yDomFragment, pNode, meta) => {`,
  },
  {
    find: `      // @ts-ignore
      let tr = this._tr.replace(
        0,
        this.prosemirrorView.state.doc.content.size,
        new PModel.Slice(PModel.Fragment.from(fragmentContent), 0, 0)
      );`,
    replace: `      let tr = replaceChangedRange(() => this._tr, oldDoc, PModel.Fragment.from(fragmentContent));`,
  },
  {
    find: `const restoreRelativeSelection = (tr, relSel, binding, oldDoc) => {`,
    replace: `const replaceChangedRange = (newTransaction, oldDoc, content) => {
  const start = oldDoc.content.findDiffStart(content)
  if (start === null) return newTransaction()
  let { a: endA, b: endB } = oldDoc.content.findDiffEnd(content)
  const overlap = start - Math.min(endA, endB)
  if (overlap > 0) {
    endA += overlap
    endB += overlap
  }
  const newDoc = oldDoc.type.create(oldDoc.attrs, content)
  const narrow = newTransaction().replace(start, endA, newDoc.slice(start, endB))
  if (narrow.doc.eq(newDoc)) return narrow
  return newTransaction().replace(0, oldDoc.content.size, new PModel.Slice(content, 0, 0))
};

// Yjs' UndoManager adds a change made within captureTimeout of the last one to the same step
// (with 100 ms to spare for the time between this check and the change).
const joinsLastUndoStep = (undoManager) =>
  undoManager.lastChange > 0 && Date.now() - undoManager.lastChange < undoManager.captureTimeout - 100 &&
  undoManager.undoStack.length > 0 && !undoManager.undoing && !undoManager.redoing;

const restoreRelativeSelection = (tr, relSel, binding, oldDoc) => {`,
  },
  {
    find: `          prevSel: getRelativeSelection(binding, oldState),`,
    replace: `          prevSel: (tr.docChanged && !joinsLastUndoStep(undoManager)) || !val.prevSel ? getRelativeSelection(binding, oldState) : val.prevSel,`,
  },
  {
    find: `      if (this.beforeTransactionSelection === null && this.prosemirrorView != null) {`,
    replace: `      if (this.beforeTransactionSelection === null && this.prosemirrorView != null && this.doc._transaction?.origin !== ySyncPluginKey) {`,
  },
  {
    find: `      updateYFragment(this.doc, this.type, doc, this);
      this.beforeTransactionSelection = getRelativeSelection(
        this,
        this.prosemirrorView.state
      );`,
    replace: `      updateYFragment(this.doc, this.type, doc, this);`,
  },
]

export const yTiptapPatches = () =>
  patchDependency('y-tiptap', '/@tiptap/y-tiptap/dist/y-tiptap.js', 'client/build/yTiptapPatches.ts', PATCHES)
