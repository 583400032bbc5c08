package main

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// A database laid out as FerretDB's SQLite backend lays it out: the collections table and one
// collection table with FerretDB's own _id index.
func ferretLikeDatabase(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "nsatu.sqlite")
	db, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE _ferretdb_collections (name TEXT NOT NULL UNIQUE, table_name TEXT NOT NULL UNIQUE, settings TEXT NOT NULL)`,
		`INSERT INTO _ferretdb_collections VALUES ('pledges', 'pledges_1a2b3c4d', '{}')`,
		`CREATE TABLE "pledges_1a2b3c4d" (_ferretdb_sjson TEXT NOT NULL CHECK(_ferretdb_sjson != '')) STRICT`,
		`CREATE UNIQUE INDEX "pledges_1a2b3c4d__id_" ON "pledges_1a2b3c4d" (_ferretdb_sjson->"_id")`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	return file
}

// The plan of the statement FerretDB runs for a lookup by _id, on a connection of its own
// (EXPLAIN QUERY PLAN does not notice that another connection changed the schema).
func lookupPlan(t *testing.T, file string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "pledges_1a2b3c4d" WHERE _ferretdb_sjson->'$._id' = ?`, `"PL1"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

func TestLookupsByIDUseAnIndexOnceTheKeeperRan(t *testing.T) {
	file := ferretLikeDatabase(t)
	if plan := lookupPlan(t, file); !strings.Contains(plan, "SCAN") {
		t.Fatalf("expected FerretDB's own index not to serve its lookup (the bug worked around), got %q", plan)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := addIDIndexes(context.Background(), file, logger); err != nil {
		t.Fatal(err)
	}
	if plan := lookupPlan(t, file); !strings.Contains(plan, "USING INDEX pledges_1a2b3c4d_id_lookup") {
		t.Fatalf("lookup by _id still scans: %q", plan)
	}
	// Running again changes nothing.
	if err := addIDIndexes(context.Background(), file, logger); err != nil {
		t.Fatal(err)
	}
}

func TestTheKeeperNeverCreatesADatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "dropped.sqlite")
	if err := addIDIndexes(context.Background(), missing, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
		t.Fatal("expected an error for a database that does not exist")
	}
	if matches, _ := filepath.Glob(missing + "*"); len(matches) != 0 {
		t.Fatalf("files were created: %v", matches)
	}
}
