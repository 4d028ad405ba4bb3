// Bounded waiting for the harness: every wait has a deadline and fails with a message saying what
// did not happen, so a hung VS Code or browser turns into a readable failure instead of a CI timeout.

/** Resolves with `promise`, or rejects with `message` once `ms` have passed. */
export async function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (after ${Math.round(ms / 1000)} s)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `probe` until it returns a truthy value, which is returned. Used only where nothing can
 * notify us (an HTTP health check of a process that is still starting); the interval is short and
 * the overall deadline is what bounds it; `signal` ends it sooner.
 */
export async function pollUntil(probe, { timeoutMs, intervalMs = 100, message, signal }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    // Lets the caller give up early with its own reason (e.g. the process being probed died).
    signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError ? `: ${lastError.message}` : '';
      throw new Error(`${message} (after ${Math.round(timeoutMs / 1000)} s)${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
