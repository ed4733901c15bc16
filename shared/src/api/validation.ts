import { z } from 'zod'

/**
 * Zod compiles object schemas with `new Function` when it may, and probes for that by calling
 * `Function('')`. Under the client's Content-Security-Policy (no 'unsafe-eval') the probe is a
 * policy violation on every page load. Browsers call this once at start: validation then runs
 * without generated code (a little slower, and our bodies are small). The server keeps the
 * compiled path. Browsers import it first (client/src/strictPolicy.ts): Zod decides when each
 * object schema is built, and the shared schemas are built as their modules load.
 */
export function validateWithoutGeneratedCode(): void {
  z.config({ jitless: true })
}
