/** How a start-up step waits for a dependency that is not there yet. */
export interface StartupRetry {
  /** when to give up (ms since the epoch): STARTUP_RETRY_SECONDS after the process started */
  deadline: number;
  /** whether the failure may go away (a server starting, a database another process creates) */
  isTransient: (error: unknown) => boolean;
  /** told before each wait: what failed (no personal data), which attempt, how long the wait */
  onRetry: (error: unknown, attempt: number, waitMs: number) => void;
  /** what to throw once the deadline has passed */
  giveUp: (error: unknown, attempts: number) => Error;
}

const FIRST_WAIT_MS = 500;
const LONGEST_WAIT_MS = 10_000;

/**
 * Runs `step` until it succeeds, waiting 0.5 s, 1 s, 2 s … (at most 10 s, with jitter so
 * processes started together spread out) after each transient failure, until the deadline.
 * A failure that is not transient is thrown at once.
 */
export async function retryStartupStep<T>(step: () => Promise<T>, retry: StartupRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!retry.isTransient(error)) throw error;
      const backoff = Math.min(FIRST_WAIT_MS * 2 ** (attempt - 1), LONGEST_WAIT_MS) * (0.8 + Math.random() * 0.4);
      const left = retry.deadline - Date.now();
      if (left <= 0) throw retry.giveUp(error, attempt);
      const waitMs = Math.round(Math.min(backoff, left));
      retry.onRetry(error, attempt, waitMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
