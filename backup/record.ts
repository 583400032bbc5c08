import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import type { Db, Document } from 'mongodb';
import { RECORD_DIR, type CollectionEntry, type IndexSpec } from './manifest';

const { EJSON } = mongoose.mongo.BSON;

/** Opens the database of a MongoDB URI (FerretDB or MongoDB) with the driver alone. */
export async function openDatabase(uri: string): Promise<{ db: Db; close(): Promise<void> }> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5000, retryWrites: false });
  await client.connect();
  return { db: client.db(), close: () => client.close() };
}

/** The server's version, and FerretDB's when FerretDB serves the wire protocol. */
export async function databaseFacts(db: Db): Promise<{ version: string; ferretdb: string | null }> {
  const info = await db.admin().command({ buildInfo: 1 });
  return {
    version: String(info.version),
    ferretdb: 'ferretdbVersion' in info ? String(info.ferretdbVersion) : null,
  };
}

/** Every collection of the engine's database (FerretDB and MongoDB keep `system.*` for themselves). */
async function collectionNames(db: Db): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  return all
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
}

/** A collection's file name in the archive: its name, made safe for any file system. */
const fileOf = (name: string) => `${RECORD_DIR}/${encodeURIComponent(name)}.ejson`;

// What an index specification carries besides its name and key, as the server reports it.
const INDEX_OPTIONS = [
  'unique',
  'sparse',
  'expireAfterSeconds',
  'partialFilterExpression',
  'collation',
  'weights',
  'default_language',
  'language_override',
  'textIndexVersion',
  '2dsphereIndexVersion',
  'bits',
  'min',
  'max',
  'wildcardProjection',
  'hidden',
] as const;

/** Called with every document dumped, to count what the manifest reports without reading anything twice. */
export type DocumentVisitor = (collection: string, doc: Document) => void;

/**
 * Writes every collection of the database as canonical Extended JSON, one document per line (types such as dates,
 * 64-bit integers and binary data survive the round trip), with its index specifications. Reads through the wire
 * protocol, so the same code dumps FerretDB and MongoDB.
 */
export async function dumpDatabase(
  db: Db,
  stagingDir: string,
  visit: DocumentVisitor = () => undefined,
): Promise<CollectionEntry[]> {
  const entries: CollectionEntry[] = [];
  for (const name of await collectionNames(db)) {
    const collection = db.collection(name);
    const file = fileOf(name);
    const out = createWriteStream(path.join(stagingDir, file));
    let documents = 0;
    for await (const doc of collection.find({}).batchSize(2000)) {
      visit(name, doc);
      if (!out.write(`${EJSON.stringify(doc, { relaxed: false })}\n`)) await once(out, 'drain');
      documents++;
    }
    out.end();
    await once(out, 'finish');
    const indexes: IndexSpec[] = (await collection.indexes())
      .filter((i) => i.name !== '_id_')
      .map((i) => ({
        name: String(i.name),
        key: i.key,
        options: Object.fromEntries(
          INDEX_OPTIONS.filter((o) => (i as Record<string, unknown>)[o] !== undefined).map((o) => [
            o,
            (i as Record<string, unknown>)[o],
          ]),
        ),
      }));
    entries.push({ name, file, documents, indexes });
  }
  return entries;
}

/** Collections of the database that hold at least one document. */
export async function nonEmptyCollections(db: Db): Promise<string[]> {
  const names = await collectionNames(db);
  const found: string[] = [];
  for (const name of names)
    if (await db.collection(name).findOne({}, { projection: { _id: 1 } })) found.push(name);
  return found;
}

const BATCH = 1000;

/**
 * Loads dumped collections into an empty database: documents in batches as they were dumped, then the indexes (on
 * FerretDB only the unique ones, which carry the engine's guarantees; the engine builds no others there).
 * `overwrite` drops the collections the database holds first.
 */
export async function loadDatabase(
  db: Db,
  stagingDir: string,
  collections: CollectionEntry[],
  { overwrite = false }: { overwrite?: boolean } = {},
): Promise<Record<string, number>> {
  const present = await nonEmptyCollections(db);
  if (present.length && !overwrite)
    throw new Error(
      `the database ${db.databaseName} is not empty (${present.join(', ')}); restore into an empty one`,
    );
  if (overwrite) for (const name of await collectionNames(db)) await db.collection(name).drop();
  const ferretDb = (await databaseFacts(db)).ferretdb !== null;
  const loaded: Record<string, number> = {};
  for (const entry of collections) {
    const collection = db.collection(entry.name);
    await db.createCollection(entry.name).catch((err: { codeName?: string }) => {
      if (err.codeName !== 'NamespaceExists') throw err;
    });
    let batch: Document[] = [];
    let count = 0;
    const lines = createInterface({
      input: createReadStream(path.join(stagingDir, entry.file)),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (!line) continue;
      batch.push(EJSON.parse(line, { relaxed: false }) as Document);
      if (batch.length >= BATCH) {
        await collection.insertMany(batch, { ordered: true });
        count += batch.length;
        batch = [];
      }
    }
    if (batch.length) await collection.insertMany(batch, { ordered: true });
    count += batch.length;
    if (count !== entry.documents)
      throw new Error(`${entry.name}: ${count} documents loaded, the manifest says ${entry.documents}`);
    for (const index of entry.indexes) {
      if (ferretDb && !index.options.unique) continue;
      await collection.createIndex(index.key as Record<string, 1 | -1>, {
        ...index.options,
        name: index.name,
      });
    }
    loaded[entry.name] = count;
  }
  return loaded;
}
