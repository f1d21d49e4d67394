// Following a task: `waitForTask` polls it, reports each poll through
// `onProgress` (status and progress for the page) and decides when it is
// finished (rejecting `task_failed`); the page keeps no poll of its own.
import { state } from "./state.js";

/**
 * Waits for a task with live progress: resolves with the finished Task,
 * rejects like `waitForTask` (task_failed, timeout, aborted, API errors).
 */
export async function followTask(taskId, onUpdate, signal) {
  // Polls at 250 ms, then ×1.5 each time: short tasks still show their
  // running state (the page's own 400 ms poll used to catch it).
  const finished = await state.client.waitForTask(taskId, { intervalMs: 250, onProgress: onUpdate, signal });
  onUpdate(finished);
  return finished;
}
