import { validateWithoutGeneratedCode } from '@accord/shared/validation'

// Runs as the first module of the page, so no schema is built with generated code: our
// Content-Security-Policy allows no eval (see shared/src/api/validation.ts).
validateWithoutGeneratedCode()
