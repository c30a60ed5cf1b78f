/**
 * Runs a pass function one at a time: a wake-up during a pass asks for exactly one more pass after
 * it (wake-ups coalesce), never two passes at once.
 */
export class PassRunner {
  private running: Promise<void> | null = null;
  private again = false;
  private enabled = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (err: Error) => void,
  ) {}

  start(): void {
    this.enabled = true;
    this.wake();
  }

  /** Stops future passes; resolves when the current one (if any) has finished. */
  async stop(): Promise<void> {
    this.enabled = false;
    this.again = false;
    await this.running;
  }

  wake(): void {
    if (!this.enabled) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (err) {
          this.onError(err as Error);
        }
      } while (this.again && this.enabled);
      this.running = null;
    })();
  }

  get active(): boolean {
    return this.enabled;
  }
}
