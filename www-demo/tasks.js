// Following a task: `waitForTask` decides when it is finished (and rejects
// `task_failed`), while a light `getTask` poll reports status and progress
// in between, since the wait itself reports nothing until it settles.
import { state, anySignal } from "./state.js";
import { sleep } from "./ui.js";

/** Polls getTask every `everyMs` and calls onUpdate(task) until `signal` aborts. */
export async function pollTask(taskId, onUpdate, signal, everyMs = 400) {
  try {
    while (!signal.aborted) {
      await sleep(everyMs, signal);
      const { task } = await state.client.getTask(taskId, { signal });
      if (!signal.aborted) onUpdate(task);
    }
  } catch {
    // Best effort: the wait running beside this poll reports real failures.
  }
}

/**
 * Waits for a task with live progress: resolves with the finished Task,
 * rejects like `waitForTask` (task_failed, timeout, aborted, API errors).
 */
export async function followTask(taskId, onUpdate, signal) {
  const stop = new AbortController();
  const pollSignal = anySignal([signal, stop.signal]);
  pollTask(taskId, onUpdate, pollSignal);
  try {
    const finished = await state.client.waitForTask(taskId, { intervalMs: 500, signal });
    stop.abort();
    onUpdate(finished);
    return finished;
  } finally {
    stop.abort();
  }
}
