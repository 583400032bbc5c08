import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import type { Principal } from '../../domain/permissions';
import type { AgreementInput } from '../../domain/schemas/agreement';
import type { StoredAgreement } from '../../store/agreements';
import { createAgreement, updateAgreement, type AgreementPorts } from '../../app/agreements';

const staff: Principal = { username: 'staff', roles: ['staff_officer'], nation: null };
const liaison = (nation: string): Principal => ({
  username: `liaison-${nation}`,
  roles: ['donor_liaison'],
  nation,
});

const input = (fields: Partial<AgreementInput> = {}): AgreementInput => ({
  donor: 'GBR',
  title: 'UK-Ukraine agreement on security co-operation',
  signedOn: '2024-01-12',
  termYears: 10,
  commitments: [{ year: 2024, valueEur: 2_900_000_000 }],
  status: 'in_force',
  sourceUrl: null,
  ...fields,
});

/** Agreements in memory, and every audit entry the use cases wrote. */
function fakeAgreements(agreements: StoredAgreement[] = []) {
  const held = new Map(agreements.map((a) => [a._id, a]));
  const audited: Array<{ action: string; detail: Record<string, unknown> }> = [];
  const ports: AgreementPorts = {
    agreements: {
      one: async (id) => held.get(id) ?? null,
      insert: async (a) => !held.has(a._id) && (held.set(a._id, a), true),
      update: async (id, fields) => {
        const before = held.get(id);
        if (!before) return null;
        held.set(id, { ...before, ...fields });
        return held.get(id)!;
      },
    },
    changes: { record: async (_actor, action, detail) => void audited.push({ action, detail }) },
  };
  return { ports, held, audited };
}

describe('recording an agreement', () => {
  it("when a donor liaison records another nation's, then forbidden, and nothing is stored", async () => {
    const fake = fakeAgreements();
    const refused = await refusal(createAgreement(fake.ports, liaison('FRA'), input()));
    expect(refused).toMatchObject({
      kind: 'forbidden',
      message: 'a donor liaison may record only its own nation’s agreements',
    });
    expect(fake.held.size).toBe(0);
    expect(fake.audited).toEqual([]);
  });

  it('when the same donor’s agreement of that date is recorded, then conflict, and nothing is audited', async () => {
    const fake = fakeAgreements();
    await createAgreement(fake.ports, staff, input());
    const refused = await refusal(createAgreement(fake.ports, liaison('GBR'), input({ title: 'again' })));
    expect(refused).toMatchObject({
      kind: 'conflict',
      message: 'agreement gbr-2024-01-12 is already recorded',
    });
    expect(fake.held.get('gbr-2024-01-12')?.title).toBe(input().title);
    expect(fake.audited).toHaveLength(1);
  });

  it('when a liaison records its own nation’s, then it is stored under donor and date and audited', async () => {
    const fake = fakeAgreements();
    const created = await createAgreement(fake.ports, liaison('GBR'), input());
    expect(created).toMatchObject({
      _id: 'gbr-2024-01-12',
      ...input(),
      alertedYears: [],
      createdBy: 'liaison-GBR',
    });
    expect(fake.audited).toEqual([
      { action: 'agreement.created', detail: { id: 'gbr-2024-01-12', ...input() } },
    ]);
  });
});

describe('changing an agreement', () => {
  const recorded = (): StoredAgreement => ({
    _id: 'gbr-2024-01-12',
    ...input(),
    alertedYears: [],
    createdBy: 'staff',
    createdAt: '2024-01-13T00:00:00.000Z',
    updatedAt: '2024-01-13T00:00:00.000Z',
  });

  it("when it is another nation's, then not_found to a liaison, as an unknown one, and it is unchanged", async () => {
    const fake = fakeAgreements([recorded()]);
    for (const id of ['gbr-2024-01-12', 'fra-2024-02-16']) {
      const refused = await refusal(updateAgreement(fake.ports, liaison('FRA'), id, { status: 'expired' }));
      expect(refused).toMatchObject({ kind: 'not_found', message: `agreement ${id} not found` });
    }
    expect(fake.held.get('gbr-2024-01-12')).toEqual(recorded());
    expect(fake.audited).toEqual([]);
  });

  it('when it is removed between the read and the write, then not_found, and nothing is audited', async () => {
    const fake = fakeAgreements([recorded()]);
    fake.ports.agreements.one = async (id) => {
      const found = fake.held.get(id) ?? null;
      fake.held.delete(id);
      return found;
    };
    const refused = await refusal(updateAgreement(fake.ports, staff, 'gbr-2024-01-12', { termYears: 5 }));
    expect(refused).toMatchObject({ kind: 'not_found' });
    expect(fake.audited).toEqual([]);
  });

  it('when it may be seen, then the fields given change and are audited', async () => {
    const fake = fakeAgreements([recorded()]);
    const after = await updateAgreement(fake.ports, liaison('GBR'), 'gbr-2024-01-12', { termYears: 5 });
    expect(after).toMatchObject({ termYears: 5, title: input().title });
    expect(after.updatedAt > recorded().updatedAt).toBe(true);
    expect(fake.audited).toEqual([
      { action: 'agreement.updated', detail: { id: 'gbr-2024-01-12', termYears: 5 } },
    ]);
  });
});
