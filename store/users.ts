import { Schema, type Connection, type Types } from 'mongoose';
import { Roles, type Role } from '../domain/schemas/common';
import { isDuplicateKey } from './duplicate-key';

/** A person who may log in, as stored. */
export interface UserRecord {
  _id: Types.ObjectId;
  username: string;
  passwordHash: string;
  displayName: string;
  roles: Role[];
  nation: string | null;
  /** For reviewers: the capability coalitions whose review tasks they get. */
  coalitions: string[];
  email: string | null;
  active: boolean;
  /** Raised by every change that must end the user's sessions (deactivation, roles, password): tokens carry it. */
  tokenVersion: number;
}

/** A user as everything but the password check reads it. */
export type DirectoryUser = Omit<UserRecord, 'passwordHash'>;

export const userSchema = new Schema<UserRecord>(
  {
    username: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true },
    roles: { type: [String], enum: Roles, required: true },
    nation: { type: String, default: null },
    coalitions: { type: [String], default: [] },
    email: { type: String, default: null },
    active: { type: Boolean, default: true },
    tokenVersion: { type: Number, default: 0 },
  },
  { timestamps: true, strict: true },
);

export const userModel = (c: Connection) => c.model<UserRecord>('User', userSchema, 'users');
export type UserModel = ReturnType<typeof userModel>;

/**
 * A stored user with every field set: records written before a field existed lack it, and a lean read applies no
 * schema defaults.
 */
function complete(doc: Partial<UserRecord> & Pick<UserRecord, '_id' | 'username'>): UserRecord {
  return {
    _id: doc._id,
    username: doc.username,
    passwordHash: doc.passwordHash ?? '',
    displayName: doc.displayName ?? doc.username,
    roles: doc.roles ?? [],
    nation: doc.nation ?? null,
    coalitions: doc.coalitions ?? [],
    email: doc.email ?? null,
    active: doc.active !== false,
    tokenVersion: doc.tokenVersion ?? 0,
  };
}

const withoutHash = ({ passwordHash: _hash, ...user }: UserRecord): DirectoryUser => user;

/** The named reads of the users collection. */
export function userRepository(User: UserModel) {
  return {
    /** The user with their password hash, for the password check; null when unknown or deactivated. */
    async forLogin(username: string): Promise<UserRecord | null> {
      const doc = await User.findOne({ username, active: true }).lean();
      return doc ? complete(doc) : null;
    },
    /** The user, active or not; null when unknown. */
    async byName(username: string): Promise<DirectoryUser | null> {
      const doc = await User.findOne({ username }, { passwordHash: 0 }).lean();
      return doc ? withoutHash(complete(doc)) : null;
    },
    /** The user if active; null when unknown or deactivated. */
    async active(username: string): Promise<DirectoryUser | null> {
      const doc = await User.findOne({ username, active: true }, { passwordHash: 0 }).lean();
      return doc ? withoutHash(complete(doc)) : null;
    },
    /** Every active user, or only those holding one of `roles`. */
    async activeHolders(roles?: Role[]): Promise<DirectoryUser[]> {
      const filter = roles ? { active: true, roles: { $in: roles } } : { active: true };
      const docs = await User.find(filter, { passwordHash: 0 }).lean();
      return docs.map((d) => withoutHash(complete(d)));
    },
    /** The users of these names that exist, active or not. */
    async named(usernames: string[]): Promise<DirectoryUser[]> {
      const docs = await User.find({ username: { $in: usernames } }, { passwordHash: 0 }).lean();
      return docs.map((d) => withoutHash(complete(d)));
    },
    /** Stores a new, active user; false when the username is taken. */
    async insert(
      profile: Omit<UserRecord, '_id' | 'active' | 'tokenVersion'>,
    ): Promise<DirectoryUser | false> {
      try {
        const doc = await User.create({ ...profile, active: true });
        return withoutHash(complete(doc.toObject()));
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    /** Sets the fields; with `endSessions`, raises the token version so that every earlier token stops working. */
    async update(username: string, set: Record<string, unknown>, endSessions: boolean): Promise<void> {
      await User.updateOne(
        { username },
        { $set: set, ...(endSessions ? { $inc: { tokenVersion: 1 } } : {}) },
      );
    },
    /** Every user, by username. */
    async all(): Promise<DirectoryUser[]> {
      const docs = await User.find({}, { passwordHash: 0 }).sort({ username: 1 }).lean();
      return docs.map((d) => withoutHash(complete(d)));
    },
  };
}
export type UserRepository = ReturnType<typeof userRepository>;
