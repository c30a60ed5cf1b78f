/**
 * Coalesces calls that arrive while an earlier call with the same key is in flight into one call
 * carrying all their inputs. At low load every call goes out alone and at once (no added latency);
 * under load the database sees one statement for many tasks instead of one per task.
 */
interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

export class Batcher<I, O> {
  private readonly queues = new Map<string, Pending<I, O>[]>();

  constructor(
    /** Must return one output per input, in order. */
    private readonly run: (key: string, items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
    /**
     * How long a call that finds nothing in flight waits for company before going out (ms).
     * 0 sends it at once; a busy worker can afford a moment to make its batches larger.
     */
    private readonly linger: () => number = () => 0,
  ) {}

  submit(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      // No call in flight for this key: this one goes out now (or after the linger, with whatever
      // arrived meanwhile); later ones wait for it.
      const wait = this.linger();
      if (wait <= 0) {
        this.queues.set(key, []);
        void this.drain(key, [{ item, resolve, reject }]);
        return;
      }
      const gathered: Pending<I, O>[] = [{ item, resolve, reject }];
      this.queues.set(key, gathered);
      setTimeout(() => {
        const first = gathered.splice(0, this.maxBatch);
        void this.drain(key, first);
      }, wait);
    });
  }

  private async drain(key: string, first: Pending<I, O>[]): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      await this.flush(key, batch);
      batch = this.queues.get(key)!.splice(0, this.maxBatch);
    }
    this.queues.delete(key);
  }

  private async flush(key: string, batch: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await this.run(
        key,
        batch.map((p) => p.item),
      );
      batch.forEach((p, i) => p.resolve(outputs[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One bad input must not fail its neighbours: retry each alone.
      for (const p of batch) {
        try {
          p.resolve((await this.run(key, [p.item]))[0]!);
        } catch (e) {
          p.reject(e);
        }
      }
    }
  }
}
