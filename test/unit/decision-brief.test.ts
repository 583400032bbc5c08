import { describe, expect, it } from 'vitest';
import { renderDecisionBrief, type DecisionBriefInput } from '../../api/documents/decision-brief';
import { phaseTitle } from '../../domain/phase-targets';
import { readPdf } from '../support/pdf';

const hash = 'a3f1c2'.repeat(10) + 'beef';

const input = (findings: DecisionBriefInput['package']['review']['findings']): DecisionBriefInput => ({
  title: 'FRA · 6 × Mirage 2000-5F',
  package: {
    round: 1,
    pledge: {
      id: 'PL1',
      donor: 'FRA',
      revision: 2,
      items: [
        { systemId: 'mirage-2000', quantity: 6, deliveryWindow: { from: '2027-03-01', to: '2027-06-30' } },
      ],
      trainingOffered: true,
      sustainment: { spareParts: true, maintenanceYears: 3 },
      valueEur: 420_000_000,
      notes: null,
    },
    review: {
      findings,
      score: 62,
      recommendation: 'accept_with_conditions',
      decision: {
        decision: 'accept',
        by: 'reviewer',
        comment: 'Spares confirmed',
        at: '2026-11-20T10:00:00Z',
      },
    },
    trainingPlan: null,
  },
  packageHash: hash,
  packageValid: true,
  chain: [
    {
      role: 'chief_of_staff',
      state: 'approved',
      decision: 'approve',
      by: 'cos',
      at: '2026-11-21T09:30:00Z',
      comment: null,
      signatureValid: true,
    },
    { role: 'commander', state: 'open', decision: null, at: null, comment: null, signatureValid: null },
  ],
  phases: [
    {
      phase: 'command_approval',
      start: '2026-11-21T09:00:00Z',
      end: null,
      state: 'open',
      days: 2,
      targetDays: 7,
      dueBy: '2026-11-28T09:00:00Z',
      met: null,
      overTarget: false,
    },
  ],
  trainingImpact: {
    sentences: ['Approving this delays 12 F-16 pilots by 3 months'],
    pledgesCompared: 3,
    asOf: '2026-11-23',
  },
  systemName: (id) => (id === 'mirage-2000' ? 'Mirage 2000-5F' : id),
  phaseName: (p) => phaseTitle[p],
  generatedAt: new Date('2026-11-23T08:00:00Z'),
});

describe('the decision brief (PDF)', () => {
  it('when rendered, then it carries the package hash, the offer, the findings with blockers first, the chain and the phase times', async () => {
    const { text, pages } = readPdf(
      await renderDecisionBrief(
        input([
          {
            code: 'NEED_MATCH',
            severity: 'info',
            message: 'Serves the fighter need',
            systemId: 'mirage-2000',
          },
          {
            code: 'FLEET_FRAGMENTATION',
            severity: 'blocker',
            message: 'A sixth fighter family while pilots convert to the F-16',
            systemId: 'mirage-2000',
          },
          {
            code: 'SUSTAINMENT_GAP',
            severity: 'warning',
            message: 'Spare parts for two years only',
            systemId: null,
          },
        ]),
      ),
    );
    expect(pages).toBeLessThanOrEqual(2);
    expect(text).toContain(hash);
    expect(text).toContain('6 x Mirage 2000-5F, delivered 2027-03-01 to 2027-06-30');
    const blocker = text.indexOf('[BLOCKER] fleet fragmentation: A sixth fighter family');
    const warning = text.indexOf('[WARNING] sustainment gap');
    const info = text.indexOf('[INFO] need match');
    expect(blocker).toBeGreaterThan(-1);
    expect(blocker).toBeLessThan(warning);
    expect(warning).toBeLessThan(info);
    expect(text).toContain(
      'Step 1, chief of staff: approve by cos at 2026-11-21 09:30 UTC - signature verified',
    );
    expect(text).toContain('Step 2, commander: open');
    expect(text).toContain('Command approval: 2 of 7 days - on time so far (due 2026-11-28)');
    // The effect on the portfolio comes after the training plan, and says it is of the moment, not signed.
    const effect = text.indexOf('5. Effect on the training portfolio');
    expect(effect).toBeGreaterThan(text.indexOf('4. Training plan'));
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Computed on 2026-11-23 against the 3 other pending pledges and the seats held then; not part of the package signed. ' +
        'Approving this delays 12 F-16 pilots by 3 months.',
    );
  });

  it('when the effect could not be computed, then the brief says why instead', async () => {
    const { text } = readPdf(
      await renderDecisionBrief({
        ...input([]),
        trainingImpact: {
          unavailable: 'Not computed: the pledge is APPROVED, no longer awaiting a decision.',
        },
      }),
    );
    expect(text).toContain('Not computed: the pledge is APPROVED, no longer awaiting a decision.');
  });

  it('when the stored package no longer matches its hash, then the brief says so', async () => {
    const { text } = readPdf(await renderDecisionBrief({ ...input([]), packageValid: false }));
    expect(text).toContain('WARNING: the stored package no longer matches this hash.');
    expect(text).toContain('No findings.');
  });
});
