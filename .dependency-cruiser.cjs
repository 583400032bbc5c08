// @ts-check
// Which top-level folder may import which: the layers of the engine, bottom first. The README's "Where things live"
// says the same in words; change both together. `web/` is its own package (it reaches `domain/` through `@domain`).

/** Each folder of the engine and the folders it may import (besides itself and packages). */
const mayImport = {
  domain: [],
  infra: ['domain'],
  store: ['domain', 'infra'],
  activities: ['domain', 'infra', 'store'],
  workflows: ['domain'], // and the types of activities (typesOnly)
  // The use cases and their adapters to Temporal and the projector: what the API and the jobs call.
  app: ['domain', 'infra', 'store', 'workflows'],
  jobs: ['domain', 'infra', 'store', 'workflows', 'app'], // workflows: the definitions a job starts and calls
  api: ['domain', 'infra', 'store', 'jobs', 'workflows', 'app'],
  worker: ['domain', 'infra', 'store', 'jobs', 'activities', 'workflows', 'app'],
  backup: ['domain', 'infra', 'store', 'jobs'],
  scripts: ['domain', 'infra', 'store', 'jobs', 'activities', 'workflows', 'app', 'api', 'worker', 'backup'],
  test: [
    'domain',
    'infra',
    'store',
    'jobs',
    'activities',
    'workflows',
    'app',
    'api',
    'worker',
    'backup',
    'scripts',
  ],
  bench: [
    'domain',
    'infra',
    'store',
    'jobs',
    'app',
    'activities',
    'workflows',
    'api',
    'worker',
    'backup',
    'scripts',
    'test',
  ],
};

/** Folders a folder may import types from, never code. */
const typesOnly = {
  // Workflow code is replayed: it names activities through their types (proxyActivities), never their code.
  workflows: ['activities'],
};

const folders = Object.keys(mayImport);
const anyOf = (names) => `^(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle-between-folders',
      comment:
        'A folder that imports a folder importing it back (even through others) has no place in the layers: move the ' +
        'shared piece down, or the wiring up to where the processes are composed.',
      severity: 'error',
      scope: 'folder',
      // A cycle between top-level folders has a step that leaves the folder it starts from: flag that step.
      from: { path: '^([^/]+)' },
      to: { circular: true, pathNot: '^$1(/|$)' },
    },
    ...folders.map((folder) => ({
      name: `${folder}-may-import`,
      comment: `${folder}/ may import ${mayImport[folder].join(', ') || 'no other folder of the engine'}.`,
      severity: /** @type {const} */ ('error'),
      from: { path: `^${folder}/` },
      to: {
        path: anyOf(
          folders.filter(
            (other) =>
              other !== folder &&
              !mayImport[folder].includes(other) &&
              !(typesOnly[folder] ?? []).includes(other),
          ),
        ),
      },
    })),
    ...Object.entries(typesOnly).map(([folder, others]) => ({
      name: `${folder}-may-import-types-of`,
      comment: `${folder}/ may import types only from ${others.join(', ')}.`,
      severity: /** @type {const} */ ('error'),
      from: { path: `^${folder}/` },
      to: { path: anyOf(others), dependencyTypesNot: /** @type {const} */ (['type-only']) },
    })),
    {
      name: 'folder-in-the-map',
      comment: `Code in a top-level folder this file does not list: add the folder to mayImport (and to the README).`,
      severity: 'error',
      from: { path: '^[^/]+/', pathNot: `${anyOf(folders)}|^(web|node_modules)/` },
      to: {},
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|web|\\.data|bench/results|backups)/' },
  },
};
