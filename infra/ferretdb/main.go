// Command nsatu-ferretdb embeds FerretDB, a MongoDB wire-protocol server,
// so the engine has a MongoDB-compatible database without Docker.
// Building FerretDB's own cmd/ferretdb panics on a missing version file;
// embedding its public package avoids that.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "storage backend: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:.data/ferretdb/", "SQLite directory URI (sqlite backend)")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL (postgresql backend)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	debugAddr := flag.String("debug-addr", "", "if set, serve Go's pprof profiles there (e.g. 127.0.0.1:8089)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "invalid -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	db, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	if *debugAddr != "" {
		go func() {
			logger.Warn("pprof listening", "addr", *debugAddr, "err", http.ListenAndServe(*debugAddr, nil))
		}()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// FerretDB's own graceful stop keeps client connections open for seconds after it stopped
	// listening, and a MongoDB Node.js driver that was busy on them then never reconnects to the
	// restarted server. Closing at once, as a crash would, is safe: every write is an SQLite
	// transaction, committed or rolled back, and clients reconnect.
	go func() {
		<-ctx.Done()
		time.Sleep(200 * time.Millisecond)
		os.Exit(0)
	}()

	if *handler == "sqlite" {
		dir := strings.TrimPrefix(strings.SplitN(*sqliteURL, "?", 2)[0], "file:")
		go keepIDIndexes(ctx, dir, 2*time.Second, logger)
	}

	logger.Warn("ferretdb listening", "uri", db.MongoDBURI(), "handler", *handler)
	if err := db.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}
