import type { Plugin } from 'vite'

export interface SourcePatch {
  find: string
  replace: string
}

/**
 * A Vite plugin that rewrites one file of a dependency as the client is bundled. Each `find`
 * must occur exactly once: if an upgrade changes the patched lines, the build fails, naming
 * the patch file, rather than running unpatched.
 */
export function patchDependency(name: string, file: string, patchFile: string, patches: readonly SourcePatch[]): Plugin {
  return {
    name: `accord-patch-${name}`,
    enforce: 'pre',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith(file)) return null
      let patched = code
      for (const { find, replace } of patches) {
        if (patched.split(find).length !== 2) throw new Error(`${name} changed: a patch in ${patchFile} no longer applies:\n${find}`)
        patched = patched.replace(find, replace)
      }
      return { code: patched, map: null }
    },
  }
}
