import { AFFILIATION_LABELS, type CommentThread } from '@accord/shared'
import type { ExportThread } from '@accord/shared/export'

/** Comment threads as the export's appendix prints them: the public record, tombstones included. */
export function exportThreadsOf(threads: readonly CommentThread[]): ExportThread[] {
  return threads.map((thread) => ({
    quote: thread.quote,
    resolved: thread.status === 'resolved',
    comments: thread.comments.map((comment) => ({
      author: comment.author.displayName,
      affiliation: AFFILIATION_LABELS[comment.author.affiliation],
      date: (comment.deletedAt ?? comment.createdAt).slice(0, 10),
      text: comment.body ?? 'Comment deleted by its author.',
    })),
  }))
}
