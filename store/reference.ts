import { Schema, type Connection } from 'mongoose';

// Reference data keeps the contract's ids as `_id`, so seeding by upsert is idempotent.
const systemSchema = new Schema(
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

const inventorySchema = new Schema(
  { _id: String, family: String, category: String, count: Number, origin: String, calibers: [String] },
  { strict: true, versionKey: false, timestamps: true },
);

const needSchema = new Schema(
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

const courseSchema = new Schema(
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

const siteSchema = new Schema(
  { _id: String, name: String, nation: String },
  { strict: true, versionKey: false },
);

const sessionSchema = new Schema(
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

const coalitionSchema = new Schema(
  { _id: String, name: String, categories: [String], leads: [String], members: [String] },
  { strict: true, versionKey: false, timestamps: true },
);

/** Small key/value reference documents (e.g. Ukraine's ammunition supply). */
const referenceDocSchema = new Schema(
  { _id: String, value: Schema.Types.Mixed },
  { strict: true, versionKey: false },
);

export const referenceModels = (c: Connection) => ({
  System: c.model('System', systemSchema, 'systems'),
  Inventory: c.model('InventoryEntry', inventorySchema, 'inventory'),
  Need: c.model('Need', needSchema, 'needs'),
  Coalition: c.model('Coalition', coalitionSchema, 'coalitions'),
  Course: c.model('Course', courseSchema, 'courses'),
  Site: c.model('Site', siteSchema, 'sites'),
  Session: c.model('TrainingSession', sessionSchema, 'training_sessions'),
  ReferenceDoc: c.model('ReferenceDoc', referenceDocSchema, 'reference_docs'),
});
