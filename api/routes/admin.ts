import { z } from 'zod';
import { NationCode, Role, Slug } from '../../domain/schemas/common';
import { AgreementPolicy } from '../../domain/schemas/agreement';
import { ApprovalPolicy } from '../../domain/schemas/approval-policy';
import { PhaseTargetPolicy } from '../../domain/schemas/phase-targets';
import { ReviewPolicy } from '../../domain/schemas/policy';
import {
  Coalition,
  CoalitionId,
  CoalitionInput,
  InventoryEntry,
  Need,
  System,
} from '../../domain/schemas/reference';
import { TaskPolicy } from '../../domain/schemas/task-policy';
import { PolicyKinds, policyInForce, policyRepository } from '../../store/policies';
import { referenceChangeLog } from '../../store/reference-changes';
import { referenceDataRepository } from '../../store/reference-data';
import { publishPolicy } from '../../app/publish-policy';
import { saveCoalition, saveInventoryEntry, saveNeed, saveSystem } from '../../app/reference-data';
import { createUser, updateUser, type UserAdministrationPorts } from '../../app/user-administration';
import { hashPassword } from '../../infra/passwords';
import { userRepository, type DirectoryUser } from '../../store/users';
import type { ApiDeps } from '../deps';
import { route } from '../http/route';
import { toUserView, UserView } from './auth';

const PolicyKind = z.enum(PolicyKinds);

/** A reviewer gets the review tasks of these coalitions only; one with none gets no coalition-bound task. */
const ReviewerCoalitions = z
  .array(CoalitionId)
  .max(CoalitionId.options.length)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'each coalition once' })
  .describe('The capability coalitions whose review tasks a reviewer gets');

const NewUser = z
  .object({
    username: z
      .string()
      .regex(/^[a-z0-9._-]{3,40}$/, 'lowercase letters, digits, dot, dash or underscore (3-40)'),
    displayName: z.string().trim().min(1).max(100),
    password: z.string().min(12, 'must be at least 12 characters').max(200),
    roles: z.array(Role).min(1).max(10),
    nation: NationCode.nullable().default(null),
    email: z.email().nullable().default(null),
    coalitions: ReviewerCoalitions.default([]),
  })
  .meta({ id: 'NewUserInput' });

// Explicit, not NewUser.partial(): defaults must not fill in fields the admin did not send.
const UserPatch = z
  .object({
    displayName: z.string().trim().min(1).max(100).optional(),
    password: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
    roles: z.array(Role).min(1).max(10).optional(),
    nation: NationCode.nullable().optional(),
    email: z.email().nullable().optional(),
    coalitions: ReviewerCoalitions.optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'UserPatchInput' });

const AdminUser = UserView.extend({
  active: z.boolean().describe('An inactive user cannot log in'),
  email: z.string().nullable().describe('Where e-mail notifications go; null for none'),
}).meta({ id: 'AdminUser' });
type AdminUser = z.infer<typeof AdminUser>;

const toAdminUser = (u: DirectoryUser): AdminUser => ({
  ...toUserView(u),
  active: u.active,
  email: u.email,
});

const PolicyVersion = z
  .object({
    version: z.number().int(),
    createdBy: z.string(),
    createdAt: z.string(),
    document: z
      .union([ReviewPolicy, TaskPolicy, ApprovalPolicy, PhaseTargetPolicy, AgreementPolicy])
      .describe(
        'The policy as published: a ReviewPolicy, TaskPolicy, ApprovalPolicy, PhaseTargetPolicy or AgreementPolicy as the kind says',
      ),
  })
  .meta({ id: 'PolicyVersion' });

const PolicyInput = z
  .record(z.string(), z.unknown())
  .describe(
    'A policy document of the kind in the path (ReviewPolicy, TaskPolicy, ApprovalPolicy, PhaseTargetPolicy or ' +
      'AgreementPolicy) without `version`, ' +
      'which the engine assigns',
  )
  .meta({ id: 'PolicyInput' });

const PublishedPolicy = z
  .object({ version: z.number().int(), document: PolicyVersion.shape.document })
  .meta({ id: 'PublishedPolicy' });

const SystemInput = System.omit({ id: true }).meta({ id: 'SystemInput' });
const InventoryInput = InventoryEntry.omit({ family: true }).meta({ id: 'InventoryInput' });
const NeedInput = Need.omit({ id: true }).meta({ id: 'NeedInput' });

/** Admin routes: reference data, policy versions and users. Every change is audited. */
export function adminRoutes({ store, projections, tokens }: ApiDeps) {
  /** Separation of duties, at the door: one person holds at most one role that decides approval steps. */

  /** Every change is audited, and API processes forget the reference data they hold in memory. */
  const changeLog = referenceChangeLog(store, projections);
  const referencePorts = { reference: referenceDataRepository(store), changes: changeLog };
  const userPorts: UserAdministrationPorts<DirectoryUser> = {
    users: userRepository(store.User),
    hashPassword,
    separation: async () => {
      const [approval, tasks] = await Promise.all([
        policyInForce(store.Policy, 'approval'),
        policyInForce(store.Policy, 'tasks'),
      ]);
      return { approval, separationOfDuties: tasks.separationOfDuties };
    },
    forget: async (username) => {
      tokens.forget(username);
      await projections.notice('user', username);
    },
    changes: changeLog,
  };
  const policies = policyRepository(store.Policy);

  return [
    route({
      method: 'put',
      path: '/admin/catalog/systems/:id',
      operationId: 'saveSystem',
      summary: 'Create or replace a system in the catalogue',
      tag: 'admin',
      access: 'reference:write',
      params: z.object({ id: Slug }),
      body: SystemInput,
      responses: { 200: { description: 'The system', schema: System } },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await saveSystem(referencePorts, principal, { id: params.id, ...body }),
      }),
    }),
    route({
      method: 'put',
      path: '/admin/coalitions/:id',
      operationId: 'saveCoalition',
      summary: "Replace a capability coalition's name, categories, leads or members",
      description:
        'The set of coalitions is fixed (systems and reviewers name them); what is publicly known of each changes: ' +
        'its leads, its members and the equipment it covers.',
      tag: 'admin',
      access: 'reference:write',
      params: z.object({ id: CoalitionId }),
      body: CoalitionInput,
      responses: { 200: { description: 'The coalition', schema: Coalition } },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await saveCoalition(referencePorts, principal, { id: params.id, ...body }),
      }),
    }),
    route({
      method: 'put',
      path: '/admin/inventory/:family',
      operationId: 'saveInventoryEntry',
      summary: "Create or replace a family in Ukraine's inventory",
      tag: 'admin',
      access: 'reference:write',
      params: z.object({ family: z.string().min(1).max(80) }),
      body: InventoryInput,
      responses: { 200: { description: 'The entry', schema: InventoryEntry } },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await saveInventoryEntry(referencePorts, principal, { family: params.family, ...body }),
      }),
    }),
    route({
      method: 'put',
      path: '/admin/needs/:id',
      operationId: 'saveNeed',
      summary: "Create or replace one of Ukraine's needs",
      tag: 'admin',
      access: 'reference:write',
      params: z.object({ id: Slug }),
      body: NeedInput,
      responses: { 200: { description: 'The need', schema: Need } },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await saveNeed(referencePorts, principal, { id: params.id, ...body }),
      }),
    }),
    route({
      method: 'get',
      path: '/policies/:kind',
      operationId: 'listPolicyVersions',
      summary: 'Every version of a policy, newest first',
      tag: 'policies',
      access: 'policy:read',
      params: z.object({ kind: PolicyKind }),
      responses: {
        200: {
          description: 'Versions',
          schema: z.object({ items: z.array(PolicyVersion) }).meta({ id: 'PolicyVersionList' }),
        },
      },
      handler: async ({ params }) => {
        const versions = await policies.versions(params.kind);
        return {
          status: 200,
          body: {
            items: versions.map((v) => ({
              version: v.version,
              createdBy: v.createdBy,
              createdAt: v.createdAt,
              document: v.document,
            })),
          },
        };
      },
    }),
    route({
      method: 'post',
      path: '/admin/policies/:kind',
      operationId: 'publishPolicy',
      summary: 'Publish a new policy version; running workflows keep theirs, new ones take this',
      tag: 'policies',
      access: 'policy:write',
      params: z.object({ kind: PolicyKind }),
      body: PolicyInput,
      responses: { 201: { description: 'The new version', schema: PublishedPolicy } },
      errors: { 409: 'Another version was published at the same moment; retry' },
      handler: async ({ principal, params, body }) => ({
        status: 201,
        body: await publishPolicy({ policies, changes: changeLog }, principal, params.kind, body),
      }),
    }),
    route({
      method: 'get',
      path: '/admin/users',
      operationId: 'listUsers',
      summary: 'Users and their roles',
      tag: 'admin',
      access: 'user:manage',
      responses: {
        200: {
          description: 'Users',
          schema: z.object({ items: z.array(AdminUser) }).meta({ id: 'AdminUserList' }),
        },
      },
      handler: async () => {
        const users = await userRepository(store.User).all();
        return { status: 200, body: { items: users.map(toAdminUser) } };
      },
    }),
    route({
      method: 'post',
      path: '/admin/users',
      operationId: 'createUser',
      summary: 'Create a user',
      tag: 'admin',
      access: 'user:manage',
      body: NewUser,
      idempotent: true,
      responses: { 201: { description: 'Created', schema: AdminUser } },
      errors: {
        409: 'A user of that name exists',
        422: 'More than one approval-chain role, where the task policy keeps them apart',
      },
      handler: async ({ principal, body }) => ({
        status: 201,
        body: toAdminUser(await createUser(userPorts, principal, body)),
      }),
    }),
    route({
      method: 'patch',
      path: '/admin/users/:username',
      operationId: 'updateUser',
      summary: "Change a user's roles, nation, coalitions, e-mail, password or active flag",
      description:
        'Deactivating a user, or changing their roles, nation or password, ends their sessions at once: ' +
        'tokens issued before stop working.',
      tag: 'admin',
      access: 'user:manage',
      params: z.object({ username: z.string().min(1).max(40) }),
      body: UserPatch,
      responses: { 200: { description: 'Updated', schema: AdminUser } },
      errors: {
        404: 'No such user',
        422: 'More than one approval-chain role, where the task policy keeps them apart',
      },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: toAdminUser(await updateUser(userPorts, principal, params.username, body)),
      }),
    }),
  ];
}
