/**
 * The update log's writer, in a worker thread: a commit waits for the disk (synchronous=FULL),
 * and on the main thread that wait stalled every socket (see docs/ARCHITECTURE.md).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openConnection } from './database.js'
import { updateWriter, type WriteReply, type WriteRequest } from './updateWrites.js'

const { file } = (workerData as { data: { file: string } }).data
const write = updateWriter(openConnection(file))
const port = parentPort!

port.on('message', (request: WriteRequest) => {
  let reply: WriteReply
  try {
    write(request)
    reply = { id: request.id, ok: true }
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  port.postMessage(reply)
})
