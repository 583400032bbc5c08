import { Schema, type Connection } from 'mongoose';
import type {
  Coalition,
  Course,
  InventoryEntry,
  Need,
  Session,
  Site,
  System,
} from '../domain/schemas/reference';

/**
 * A reference document as stored: the domain's fields, its id as `_id`. The `Lists` may be absent: FerretDB drops
 * empty arrays on upsert.
 */
type Stored<T, Lists extends keyof T = never> = Omit<T, 'id' | Lists> &
  Partial<Pick<T, Lists>> & { _id: string; createdAt?: Date; updatedAt?: Date };

export type SystemRecord = Stored<System, 'calibers' | 'courseIds'>;
export type InventoryRecord = Stored<InventoryEntry, 'calibers'>;
/** Needs stored before `family` was kept lack it. */
export type NeedRecord = Stored<Need, 'family'>;
export type CourseRecord = Stored<Course, 'prerequisiteIds'>;
export type SiteRecord = Stored<Site>;
export type SessionRecord = Stored<Session>;
export type CoalitionRecord = Stored<Coalition, 'categories' | 'leads' | 'members'>;
export interface ReferenceDocRecord {
  _id: string;
  value: unknown;
}

// Reference data keeps the contract's ids as `_id`, so seeding by upsert is idempotent.
const systemSchema = new Schema<SystemRecord>(
  {
    _id: String,
    name: String,
    family: String,
    category: String,
    coalition: String,
    origin: String,
    calibers: [String],
    crewPerUnit: Number,
    maintainersPerUnit: Number,
    courseIds: [String],
    maintenanceBurden: String,
  },
  { strict: true, versionKey: false, timestamps: true },
);

const inventorySchema = new Schema<InventoryRecord>(
  { _id: String, family: String, category: String, count: Number, origin: String, calibers: [String] },
  { strict: true, versionKey: false, timestamps: true },
);

const needSchema = new Schema<NeedRecord>(
  {
    _id: String,
    category: String,
    family: { type: String, default: null },
    description: String,
    quantity: Number,
    priority: Number,
    status: String,
  },
  { strict: true, versionKey: false, timestamps: true },
);

const courseSchema = new Schema<CourseRecord>(
  {
    _id: String,
    name: String,
    durationDays: Number,
    prerequisiteIds: [String],
    minCohort: Number,
    maxCohort: Number,
    audience: String,
  },
  { strict: true, versionKey: false, timestamps: true },
);

const siteSchema = new Schema<SiteRecord>(
  { _id: String, name: String, nation: String },
  { strict: true, versionKey: false },
);

const sessionSchema = new Schema<SessionRecord>(
  {
    _id: String,
    courseId: { type: String, index: true },
    siteId: String,
    start: String,
    end: String,
    seats: Number,
  },
  { strict: true, versionKey: false, timestamps: true },
);

const coalitionSchema = new Schema<CoalitionRecord>(
  { _id: String, name: String, categories: [String], leads: [String], members: [String] },
  { strict: true, versionKey: false, timestamps: true },
);

/** Small key/value reference documents (e.g. Ukraine's ammunition supply). */
const referenceDocSchema = new Schema<ReferenceDocRecord>(
  { _id: String, value: Schema.Types.Mixed },
  { strict: true, versionKey: false },
);

export const referenceModels = (c: Connection) => ({
  System: c.model<SystemRecord>('System', systemSchema, 'systems'),
  Inventory: c.model<InventoryRecord>('InventoryEntry', inventorySchema, 'inventory'),
  Need: c.model<NeedRecord>('Need', needSchema, 'needs'),
  Coalition: c.model<CoalitionRecord>('Coalition', coalitionSchema, 'coalitions'),
  Course: c.model<CourseRecord>('Course', courseSchema, 'courses'),
  Site: c.model<SiteRecord>('Site', siteSchema, 'sites'),
  Session: c.model<SessionRecord>('TrainingSession', sessionSchema, 'training_sessions'),
  ReferenceDoc: c.model<ReferenceDocRecord>('ReferenceDoc', referenceDocSchema, 'reference_docs'),
});
