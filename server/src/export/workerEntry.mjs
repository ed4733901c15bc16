// The server runs TypeScript through tsx; a worker starts without the parent's loader, so it
// registers tsx itself before loading the TypeScript worker.
import { tsImport } from 'tsx/esm/api'

await tsImport('./worker.ts', import.meta.url)
