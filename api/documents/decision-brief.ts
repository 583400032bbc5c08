import PDFDocument from 'pdfkit';
import type { MeasuredSpan } from '../../domain/phase-targets';
import { orderFindings } from '../../domain/review/review-score';
import type { Finding } from '../../domain/schemas/pledge';
import type { StoredTrainingPlan } from '../../domain/training/execution';

/** The frozen decision package as the approvers sign it (its hash), the part the brief shows. */
export interface BriefPackage {
  round: number;
  pledge: {
    id: string;
    donor: string;
    revision: number;
    items: Array<{ systemId: string; quantity: number; deliveryWindow: { from: string; to: string } }>;
    trainingOffered: boolean;
    sustainment: { spareParts?: boolean; maintenanceYears?: number } | null;
    valueEur: number | null;
    notes: string | null;
  };
  review: {
    findings: Finding[];
    score: number | null;
    recommendation: string | null;
    decision: { decision?: string; by?: string; comment?: string | null; at?: string } | null;
  };
  trainingPlan: StoredTrainingPlan | null;
}

export interface DecisionBriefInput {
  title: string;
  package: BriefPackage;
  packageHash: string;
  /** The package still hashes to `packageHash` (nobody altered it after it was frozen). */
  packageValid: boolean | null;
  chain: Array<{
    role: string;
    state?: string;
    decision: string | null;
    by?: string | null;
    onBehalfOf?: string | null;
    at: string | null;
    comment: string | null;
    signatureValid: boolean | null;
  }>;
  phases: MeasuredSpan[];
  /**
   * What approving would do to the other pending pledges' training, computed when the brief is drawn (it is not
   * part of the package), or why it is not shown.
   */
  trainingImpact: { sentences: string[]; pledgesCompared: number; asOf: string } | { unavailable: string };
  systemName: (systemId: string) => string;
  phaseName: (phase: MeasuredSpan['phase']) => string;
  generatedAt: Date;
}

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '-');
const minute = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '-');
const eur = (n: number | null) => (n === null ? 'not stated' : `EUR ${n.toLocaleString('en-GB')}`);
const humanize = (code: string) => code.replace(/_/g, ' ').toLowerCase();
const signatureText = (valid: boolean | null) =>
  valid === null ? 'not signed' : valid ? 'signature verified' : 'SIGNATURE DOES NOT VERIFY';

/**
 * The commander's decision brief: one or two A4 pages that say what is offered, what the review found (blockers
 * first), the training plan and its effect on the other pending pledges' training, the time against the phase
 * targets, the approval chain so far with each signature's verification, and the hash of the frozen package that
 * each approver signs. It is drawn from that package, not from the live record, so the brief and the decision
 * cannot differ; only the effect on the portfolio is of the moment, and says so.
 */
export function renderDecisionBrief(input: DecisionBriefInput): Promise<Buffer> {
  const { package: pkg } = input;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 42, bottom: 42, left: 50, right: 50 },
    info: {
      Title: `Decision brief: ${input.title}`,
      Subject: `Pledge ${pkg.pledge.id}, approval round ${pkg.round}`,
      Author: 'NSATU engine',
      CreationDate: input.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => {
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11).fillColor('#1b2430').text(text);
    doc.moveDown(0.15).font('Helvetica').fontSize(9).fillColor('#1b2430');
  };
  const line = (text: string, opts: { bold?: boolean; colour?: string } = {}) =>
    doc
      .font(opts.bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9)
      .fillColor(opts.colour ?? '#1b2430')
      .text(text, { paragraphGap: 1.5 });

  doc
    .font('Helvetica-Bold')
    .fontSize(8)
    .fillColor('#6b7685')
    .text('NSATU - DECISION BRIEF FOR COMMAND APPROVAL');
  doc.moveDown(0.2).font('Helvetica-Bold').fontSize(15).fillColor('#1b2430').text(input.title);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#4c5b70')
    .text(
      `Pledge ${pkg.pledge.id} - donor ${pkg.pledge.donor} - revision ${pkg.pledge.revision} - approval round ` +
        `${pkg.round} - generated ${minute(input.generatedAt.toISOString())}`,
    );

  heading('1. What is offered');
  for (const item of pkg.pledge.items) {
    line(
      `${item.quantity} x ${input.systemName(item.systemId)}, delivered ${day(item.deliveryWindow.from)} to ` +
        `${day(item.deliveryWindow.to)}`,
    );
  }
  const sustainment = pkg.pledge.sustainment;
  line(
    `Value ${eur(pkg.pledge.valueEur)}. Training offered: ${pkg.pledge.trainingOffered ? 'yes' : 'no'}. ` +
      `Spare parts: ${sustainment?.spareParts ? 'yes' : 'no'}; maintenance support ` +
      `${sustainment?.maintenanceYears ?? 0} years.`,
  );
  if (pkg.pledge.notes) line(`Donor's notes: ${pkg.pledge.notes}`);

  heading('2. Findings of the compatibility review (blockers first)');
  line(
    `Score ${pkg.review.score ?? '-'}; recommendation: ${humanize(pkg.review.recommendation ?? 'none')}. ` +
      (pkg.review.decision
        ? `Reviewer's decision: ${humanize(pkg.review.decision.decision ?? '-')} by ${pkg.review.decision.by ?? '-'}` +
          `${pkg.review.decision.comment ? ` ("${pkg.review.decision.comment}")` : ''}.`
        : 'No reviewer decision recorded.'),
  );
  const findings = orderFindings(pkg.review.findings);
  if (!findings.length) line('No findings.');
  for (const f of findings) {
    line(`[${f.severity.toUpperCase()}] ${humanize(f.code)}: ${f.message}`, {
      colour: f.severity === 'blocker' ? '#b3261e' : undefined,
    });
  }

  heading("3. Coverage of Ukraine's requirements");
  const needs = findings.filter((f) => f.code === 'NEED_MATCH');
  if (!needs.length) line('The review matched this pledge to no stated need.');
  for (const f of needs) line(f.message);

  heading('4. Training plan');
  const plan = pkg.trainingPlan;
  if (!plan) line(pkg.pledge.trainingOffered ? 'No training plan was frozen.' : 'No training offered.');
  else {
    line(
      `${plan.traineesReadyByDeadline} of ${plan.traineesNeeded} trainees ready by their delivery dates ` +
        `(plan round ${plan.round}, ${plan.solver.method} solver).`,
    );
    for (const c of plan.cohorts) {
      line(
        `${c.courseId} at ${c.siteId}: ${c.trainees} trainees of ${input.systemName(c.systemId)}, ` +
          `${day(c.start)} to ${day(c.end)} (${c.state})`,
      );
    }
    for (const [group, ready] of Object.entries(plan.readyBy)) line(`Ready: ${group} by ${day(ready)}`);
    for (const u of plan.unmet) {
      line(`Short: ${u.trainees} trainees of ${input.systemName(u.systemId)} - ${humanize(u.reason)}`, {
        colour: '#b3261e',
      });
    }
  }

  heading('5. Effect on the training portfolio');
  const impact = input.trainingImpact;
  if ('unavailable' in impact) line(impact.unavailable);
  else {
    line(
      `Computed on ${impact.asOf} against the ${impact.pledgesCompared} other pending ` +
        `${impact.pledgesCompared === 1 ? 'pledge' : 'pledges'} and the seats held then; not part of the package signed.`,
      { colour: '#4c5b70' },
    );
    for (const sentence of impact.sentences) line(`${sentence}.`);
  }

  heading('6. Time against the phase targets');
  for (const p of input.phases) {
    const verdict =
      p.state === 'abandoned'
        ? 'ended without a decision'
        : p.state === 'open'
          ? p.overTarget
            ? `OVER TARGET (due ${day(p.dueBy)})`
            : `on time so far (due ${day(p.dueBy)})`
          : p.met
            ? 'met'
            : 'MISSED';
    line(`${input.phaseName(p.phase)}: ${p.days} of ${p.targetDays} days - ${verdict}`);
  }

  heading('7. Approval chain so far');
  input.chain.forEach((step, i) => {
    const decided = step.by
      ? `${humanize(step.decision ?? step.state ?? '-')} by ${step.by}${step.onBehalfOf ? ` for ${step.onBehalfOf}` : ''} ` +
        `at ${minute(step.at)} - ${signatureText(step.signatureValid)}`
      : humanize(step.state ?? 'pending');
    line(`Step ${i + 1}, ${humanize(step.role)}: ${decided}`, {
      colour: step.signatureValid === false ? '#b3261e' : undefined,
    });
    if (step.comment) line(`   "${step.comment}"`);
  });

  heading('8. The package each approver signs');
  line('SHA-256 of the canonical decision package frozen for this round:');
  doc.font('Courier-Bold').fontSize(9).fillColor('#1b2430').text(input.packageHash);
  line(
    input.packageValid === false
      ? 'WARNING: the stored package no longer matches this hash.'
      : 'The stored package matches this hash; this brief is drawn from it.',
  );
  doc.end();
  return done;
}
