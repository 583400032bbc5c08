import { Schema, type Connection } from 'mongoose';
import { Roles } from '../domain/schemas/common';

export const userSchema = new Schema(
  {
    username: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true },
    roles: { type: [String], enum: Roles, required: true },
    nation: { type: String, default: null },
    /** For reviewers: the capability coalitions whose review tasks they get. */
    coalitions: { type: [String], default: [] },
    email: { type: String, default: null },
    active: { type: Boolean, default: true },
    /** Raised by every change that must end the user's sessions (deactivation, roles, password): tokens carry it. */
    tokenVersion: { type: Number, default: 0 },
  },
  { timestamps: true, strict: true },
);

export const userModel = (c: Connection) => c.model('User', userSchema, 'users');
