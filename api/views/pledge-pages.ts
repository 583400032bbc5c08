import { LRUCache } from 'lru-cache';
import { liaisonDetail } from '../../domain/audit-visibility';
import {
  toApprovalView,
  toPledgeFields,
  toPledgeSummary,
  toTrainingPlanView,
  type PledgeFields,
  type PledgeView,
  type ProjectedPledgeView,
} from '../../domain/schemas/pledge-view';
import { approvalWithVerification, type KeyCache } from '../../store/decision-verification';
import type { PledgeListEntry } from '../../store/projector';
import type { ReadViews } from './read-views';

/** Who reads: NSATU's staff (everything) or a donor liaison (what the audit log's rule lets a donor read). */
export type Audience = 'staff' | 'liaison';

/** Decisions whose comment is addressed to the donor (what to change, why it was refused or returned). */
const commentForDonor = new Set(['request_changes', 'reject', 'return']);
const forDonor = (decision: string | null | undefined, comment: string | null) =>
  decision && commentForDonor.has(decision) ? comment : null;

/** A pledge's fields as a donor liaison may read them: the review decision without a comment kept inside. */
function liaisonFields<S extends PledgeFields>(fields: S): S {
  const review = fields.review;
  return {
    ...fields,
    review: review && {
      ...review,
      decision: review.decision && {
        ...review.decision,
        comment: forDonor(review.decision.decision, review.decision.comment),
      },
    },
  };
}

/**
 * The page as a donor liaison may read it, by the audit log's rule (`domain/audit-visibility.ts`): the timeline
 * without internal comments, findings as worded for staff, hashes and signatures (`redacted` names what was
 * withheld); the approval chain and the review decision without the comments NSATU keeps inside.
 */
export function liaisonView(view: PledgeView): PledgeView {
  return {
    ...liaisonFields(view),
    approval: view.approval && {
      ...view.approval,
      // The frozen package carries the reviewer's comment and the staff's wording: it stays inside too.
      package: {},
      chain: view.approval.chain.map((s) => ({
        ...s,
        comment: forDonor(s.decision, s.comment),
        keyId: null,
        signature: null,
        payload: null,
      })),
    },
    timeline: view.timeline.map((e) => {
      const { detail, redacted } = liaisonDetail(e.type, e.detail);
      return { ...e, detail, redacted };
    }),
  };
}

/**
 * Each list entry's summary as JSON, made once per entry version: a page of the list is then the joining of up to
 * `limit` strings, not the building and serialising of as many objects on every request. An entry the views replace
 * is a new object, so its text is made afresh and the old one is collected with it. A summary carries no comment or
 * finding's wording, so staff and donor liaisons read the same text.
 */
const summaryTexts = new WeakMap<PledgeListEntry, string>();
export function summaryText(entry: PledgeListEntry): string {
  let text = summaryTexts.get(entry);
  if (text === undefined) {
    text = JSON.stringify(toPledgeSummary(toPledgeFields(entry)));
    summaryTexts.set(entry, text);
  }
  return text;
}

/** A page of the list as the JSON text `PledgePage` describes. */
export const pledgePageText = (page: PledgeListEntry[], nextCursor: string | null) =>
  `{"items":[${page.map(summaryText).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;

interface CachedPage {
  /** The projection it was made from: a page is current while Redis holds the same text. */
  raw: string;
  /** The key cache's generation its signatures were checked at. */
  keys: number;
  text: Record<Audience, string>;
}

/**
 * Pledge pages as JSON text, with the checks made at read time (the frozen package against its hash, each
 * signature against its key). A page is made once per projected version and key change, and kept while its
 * projection is unchanged, within a memory bound: a tampered projection or record differs from what was checked,
 * so it is checked again.
 */
export class PledgePages {
  private readonly cache = new LRUCache<string, CachedPage>({
    maxSize: 64 * 1024 * 1024,
    // UTF-16 in memory: two bytes a character.
    sizeCalculation: (p) => 2 * (p.raw.length + p.text.staff.length + p.text.liaison.length),
  });

  constructor(
    private readonly views: ReadViews,
    private readonly keys: KeyCache,
  ) {}

  /** The pledge's page for the audience, or null when there is none. */
  async text(id: string, audience: Audience): Promise<string | null> {
    const raw = await this.views.pledgeDetailText(id);
    if (raw === null) return null;
    const cached = this.cache.get(id);
    if (cached && cached.raw === raw && cached.keys === this.keys.generation) return cached.text[audience];
    const keys = this.keys.generation;
    const view = await this.checked(id, JSON.parse(raw) as ProjectedPledgeView);
    const page = {
      raw,
      keys,
      text: { staff: JSON.stringify(view), liaison: JSON.stringify(liaisonView(view)) },
    };
    this.cache.set(id, page);
    return page.text[audience];
  }

  private async checked(id: string, view: ProjectedPledgeView): Promise<PledgeView> {
    let approval: PledgeView['approval'] = null;
    if (view.approval) {
      const verified = await approvalWithVerification(this.keys, id, view.approval);
      approval = toApprovalView(view.approval, {
        packageValid: verified?.packageValid ?? null,
        signatureValid: verified?.chain.map((s) => s.signatureValid) ?? [],
      });
    }
    return {
      ...toPledgeFields(view),
      trainingPlan: view.trainingPlan ? toTrainingPlanView(view.trainingPlan) : null,
      approval,
      timeline: view.timeline.map(({ at, type, actor, detail }) => ({
        at,
        type,
        actor,
        detail: detail ?? {},
      })),
    };
  }
}
