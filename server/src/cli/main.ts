import { parseArgs } from 'node:util'
import {
  affiliationSchema,
  AFFILIATIONS,
  displayNameSchema,
  passwordSchema,
  usernameSchema,
} from '@accord/shared'
import type { z } from 'zod'
import { Accounts } from '../accounts.js'
import { Sessions } from '../auth/sessions.js'
import { ConfigError, loadConfig } from '../config.js'
import { AppError } from '../errors.js'
import { openStorage } from '../persistence/storage.js'
import { readPassword } from './readPassword.js'

const USAGE = `Usage: npm run cli -- <command>

  user create <username> --display-name "<name>" --affiliation <affiliation> [--admin]
  user reset-password <username>
  user deactivate <username>
  user activate <username>
  user list
  backup <file>

Passwords are read from standard input. Affiliations: ${AFFILIATIONS.join(', ')}.
The database is PostgreSQL at DATABASE_URL when it is set, else the SQLite file in DATA_DIR (default ./data).`

class UsageError extends Error {}

function valid<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw new UsageError(`${what}: ${result.error.issues.map((issue) => issue.message).join(' ')}`)
  return result.data
}

async function run(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'display-name': { type: 'string' },
      affiliation: { type: 'string' },
      admin: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const [command, subcommand, argument] = positionals
  if (values.help || !command) return USAGE

  const config = loadConfig()
  const storage = await openStorage({ dataDir: config.dataDir, postgres: config.postgres })
  try {
    const { users } = storage
    const accounts = new Accounts(users, new Sessions(storage.sessions, users))

    if (command === 'backup') {
      if (!storage.sqlite) {
        throw new UsageError(
          'The data is in PostgreSQL (DATABASE_URL): back it up with pg_dump, e.g. pg_dump --format=custom --file=accord.dump "$DATABASE_URL".',
        )
      }
      if (!subcommand) throw new UsageError('backup needs a file to write to.')
      // SQLite's online backup: a consistent copy even while the server is writing.
      await storage.sqlite.backup(subcommand)
      return `Backed up ${config.dataDir} to ${subcommand}`
    }
    if (command !== 'user') throw new UsageError(`Unknown command "${command}".`)

    if (subcommand === 'list') {
      return (await users.list())
        .map((user) => `${user.username}\t${user.displayName}\t${user.affiliation}${user.isAdmin ? '\tadmin' : ''}${user.active ? '' : '\tdeactivated'}`)
        .join('\n')
    }
    const username = valid(usernameSchema, argument, 'Username')
    switch (subcommand) {
      case 'create': {
        const displayName = valid(displayNameSchema, values['display-name'], 'Display name (--display-name)')
        const affiliation = valid(affiliationSchema, values.affiliation, 'Affiliation (--affiliation)')
        const password = valid(passwordSchema, await readPassword(), 'Password')
        const user = await accounts.create({ username, displayName, affiliation, password, isAdmin: values.admin })
        return `Created ${user.isAdmin ? 'admin ' : ''}account "${user.username}" (${user.displayName}).`
      }
      case 'reset-password': {
        const password = valid(passwordSchema, await readPassword(), 'Password')
        await accounts.resetPassword(username, password)
        return `Set a new password for "${username}" and signed them out everywhere.`
      }
      case 'deactivate':
        await accounts.update(username, { active: false })
        return `Deactivated "${username}" and signed them out everywhere.`
      case 'activate':
        await accounts.update(username, { active: true })
        return `Activated "${username}".`
      default:
        throw new UsageError(`Unknown user command "${subcommand ?? ''}".`)
    }
  } finally {
    await storage.close()
  }
}

try {
  process.stdout.write(`${await run(process.argv.slice(2))}\n`)
} catch (error) {
  if (error instanceof UsageError || error instanceof AppError || error instanceof ConfigError) {
    process.stderr.write(`Error: ${error.message}\n`)
    if (error instanceof UsageError) process.stderr.write('Run "npm run cli -- --help" for usage.\n')
    process.exit(2)
  }
  if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`Error: ${(error as Error).message}\n\n${USAGE}\n`)
    process.exit(2)
  }
  throw error
}
