package main

// FerretDB v1.24's SQLite backend looks documents up by _id with
// `WHERE _ferretdb_sjson->'$._id' = ?`, but indexes _id as `_ferretdb_sjson->"_id"`.
// SQLite uses an expression index only for the very same expression, so every
// lookup, update and delete by _id scans the whole table, parsing each document.
// The keeper adds an index on the expression the queries use to every collection
// table, including tables created later; FerretDB neither lists nor needs it.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

const idLookupSuffix = "_id_lookup"

// keepIDIndexes checks the SQLite files under dir now and every interval until ctx ends.
func keepIDIndexes(ctx context.Context, dir string, interval time.Duration, logger *slog.Logger) {
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			if err := addIDIndexes(ctx, file, logger); err != nil {
				logger.Debug("id index keeper", "file", file, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// addIDIndexes opens one database briefly (never creating it: a dropped
// database stays dropped) and indexes the tables that lack the lookup index.
func addIDIndexes(ctx context.Context, file string, logger *slog.Logger) error {
	if _, err := os.Stat(file); err != nil {
		return err
	}
	uri := "file:" + (&url.URL{Path: file}).EscapedPath() + "?mode=rw&_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)`, idLookupSuffix)
	if err != nil {
		return err // not (yet) a FerretDB database
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()

	for _, table := range tables {
		if strings.ContainsRune(table, '"') {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s%s" ON "%s" (_ferretdb_sjson->'$._id')`, table, idLookupSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
		logger.Debug("indexed _id lookups", "file", filepath.Base(file), "table", table)
	}
	return nil
}
