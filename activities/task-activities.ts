import type { TaskSnapshot } from '../domain/tasks';
import type { ActivityDeps } from './deps';

/** Persisting the workflow's view of human tasks into the inbox read model. */
export function createTaskActivities({ store }: ActivityDeps) {
  return {
    /** Upserts a task; `rev` orders writes so a late retry never overwrites a newer state. */
    async saveTask(task: TaskSnapshot, rev: number): Promise<void> {
      const { id, ...fields } = task;
      const res = await store.Task.updateOne({ _id: id, rev: { $lt: rev } }, { $set: { ...fields, rev } });
      if (res.matchedCount > 0) return;
      try {
        await store.Task.create({ _id: id, ...fields, rev });
      } catch (err) {
        // Already there with a newer (or equal) revision: nothing to do.
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    },
  };
}
