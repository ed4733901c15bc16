import { patchDependency, type SourcePatch } from './patchDependency'

/**
 * A patch to prosemirror-view 1.42, applied as the client is bundled: the top-level blocks of
 * the document can be drawn inside wrapper elements that stand for nothing in the document.
 *
 * ProseMirror draws every top-level block straight under the editor element, so in a
 * 100,000-word MOU each keystroke made Chromium lay out, and check for `content-visibility`,
 * every one of 1,442 blocks: above a frame's budget with no editor code running at all (the
 * "floor" rows of bench scenario 7). Drawn in groups of a few dozen that skip their layout when
 * off screen, the same text types at close to a bare `<textarea>`'s cost.
 *
 * The view already draws marks as wrapper elements around the nodes that carry them, and all of
 * its DOM-to-position mapping, selection and change reading handles such wrappers. So the patch
 * only asks, when the document node draws its children, for a `topLevelMarks` prop: one array
 * of marks per top-level block, to wrap it in (see `client/src/editor/blockGroups.ts`). Without
 * the prop, blocks are drawn with their own marks, as before. A mark whose spec says `viewOnly`
 * is also looked inside when a change the browser made is read.
 */
const PATCHES: SourcePatch[] = [
  // Reading a change the browser made: the view parses the smallest node around it, but never
  // looks inside a mark's wrapper, so a keystroke had the whole group parsed (~1.2 ms in the MOU
  // in clauses). A group means nothing in the document: the view looks inside it.
  {
    find: `                if (from >= childBase && to <= end - child.border && child.node &&`,
    replace: `                if (from >= childBase && to <= end - child.border && (child.node || child.mark?.type.spec.viewOnly) &&`,
  },
  {
    find: `        let addBuffers = this.node.inlineContent, atBufferPos = addBuffers && this.node.isBlock;
`,
    replace: `        let addBuffers = this.node.inlineContent, atBufferPos = addBuffers && this.node.isBlock;
        let topLevelMarks = this.parent ? null : view.someProp("topLevelMarks", (marksOf) => marksOf(view.state, this.node));
`,
  },
  {
    find: `updater.syncToMarks(i == this.node.childCount ? Mark.none : this.node.child(i).marks, inline, view, i);`,
    replace: `updater.syncToMarks(i == this.node.childCount ? Mark.none : topLevelMarks?.[i] ?? this.node.child(i).marks, inline, view, i);`,
  },
  {
    find: `            updater.syncToMarks(child.marks, inline, view, i);`,
    replace: `            updater.syncToMarks(topLevelMarks?.[i] ?? child.marks, inline, view, i);`,
  },
]

export const prosemirrorViewPatches = () =>
  patchDependency('prosemirror-view', '/prosemirror-view/dist/index.js', 'client/build/prosemirrorViewPatches.ts', PATCHES)
