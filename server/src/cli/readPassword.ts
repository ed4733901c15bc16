import readline from 'node:readline'

/** Reads a password: the whole of standard input when piped, or a hidden prompt at a terminal. */
export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
  }
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  const muted = prompt as unknown as { _writeToOutput: (text: string) => void }
  process.stdout.write('Password: ')
  muted._writeToOutput = () => {}
  const password = await new Promise<string>((resolve) => prompt.question('', resolve))
  prompt.close()
  process.stdout.write('\n')
  return password
}
