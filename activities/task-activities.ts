import type { TaskSnapshot } from '../domain/tasks';
import { updateByIdIf } from '../store/guarded-update';
import type { ActivityDeps } from './deps';

/** Persisting the workflow's view of human tasks into the inbox read model. */
export function createTaskActivities({ store }: ActivityDeps) {
  return {
    /** Upserts a task; `rev` orders writes so a late retry never overwrites a newer state. */
    async saveTask(task: TaskSnapshot, rev: number): Promise<void> {
      const { id, ...fields } = task;
      const newer = {
        filter: { rev: { $lt: rev } },
        holds: (doc: { rev?: number }) => (doc.rev ?? 0) < rev,
        projection: { rev: 1 as const },
      };
      if (await updateByIdIf(store.Task, id, newer, { $set: { ...fields, rev } })) return;
      try {
        await store.Task.create({ _id: id, ...fields, rev });
      } catch (err) {
        // Already there with a newer (or equal) revision: nothing to do.
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    },
  };
}
