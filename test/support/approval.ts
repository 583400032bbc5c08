import { expect } from 'vitest';
import { registerSigner, signedDecision, type Signer } from './signing';
import { eventually, type Stack } from './stack';

const signers = new WeakMap<Stack, Promise<Record<'cos' | 'commander', Signer>>>();

/** The chief of staff and the commander approve every given pledge, each step for all pledges at once. */
export async function approveAll(stack: Stack, pledgeIds: string[]) {
  const [cos, commander] = await Promise.all([stack.as('cos'), stack.as('commander')]);
  if (!signers.has(stack)) {
    signers.set(
      stack,
      Promise.all([registerSigner(cos), registerSigner(commander)]).then(([c, m]) => ({
        cos: c,
        commander: m,
      })),
    );
  }
  const keys = await signers.get(stack)!;
  for (const [client, key] of [
    [cos, keys.cos],
    [commander, keys.commander],
  ] as const) {
    const tasks = await eventually(
      async () => {
        const open = (await client.get('/api/v1/tasks?kind=command_approval&limit=200')).body.items as Array<{
          id: string;
          pledgeId: string;
        }>;
        const mine = pledgeIds.map((id) => open.find((t) => t.pledgeId === id));
        return mine.every(Boolean) ? (mine as Array<{ id: string }>) : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const bodies = await Promise.all(
      tasks.map((t) => signedDecision(client, key, t.id, { decision: 'approve' })),
    );
    const results = await Promise.all(
      tasks.map((t, i) => client.post(`/api/v1/tasks/${t.id}/complete`, bodies[i])),
    );
    expect(results.map((r) => r.status)).toEqual(tasks.map(() => 200));
  }
}
