/**
 * The update log's writer, in a worker thread: a commit waits for the disk (synchronous=FULL),
 * and on the main thread that wait stalled every socket (see docs/INTERNALS.md, "Decisions in full").
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openConnection } from './database.js'
import { SqliteSql } from './sql.js'
import { compactDocument } from './storedState.js'
import { updateWriter, type WriteReply, type WriteRequest } from './updateWrites.js'

const { file } = (workerData as { data: { file: string } }).data
const db = openConnection(file)
const write = updateWriter(db)
// Compaction reads and writes through the same connection, in turn with the batches.
const sql = new SqliteSql(db)
const port = parentPort!

port.on('message', async (request: WriteRequest) => {
  let reply: WriteReply
  try {
    if (request.kind === 'compact') {
      reply = { id: request.id, ok: true, compaction: await compactDocument(sql, request.documentId) }
    } else {
      write(request)
      reply = { id: request.id, ok: true }
    }
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  port.postMessage(reply)
})
