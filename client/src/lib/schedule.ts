/**
 * Work a keystroke causes but its character does not need (saving a copy on this device,
 * telling others where the caret is) waits until the frame that shows the character is painted:
 * in a 100,000-word agreement every millisecond before that frame is felt while typing.
 */

/** Runs `task` once the next frame has been painted. Calls before then share one run. */
export function coalescedAfterPaint(task: () => void): () => void {
  let scheduled = false
  return () => {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(() =>
      setTimeout(() => {
        scheduled = false
        task()
      }, 0),
    )
  }
}

/**
 * Runs `task` whenever the page is hidden or left: a hidden page paints no frame and may get no
 * idle time, so work deferred to those must be done now. Returns a function that stops it.
 */
export function whenPageHides(task: () => void): () => void {
  const ifHidden = () => {
    if (document.visibilityState === 'hidden') task()
  }
  window.addEventListener('pagehide', task)
  document.addEventListener('visibilitychange', ifHidden)
  return () => {
    window.removeEventListener('pagehide', task)
    document.removeEventListener('visibilitychange', ifHidden)
  }
}

/** Runs `task` when the browser is idle, within `timeoutMs`. Safari has no idle callbacks: there, after a short timer. */
export function whenIdle(task: () => void, timeoutMs: number): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: timeoutMs })
  else setTimeout(task, Math.min(timeoutMs, 100))
}
