// Package app runs the orquestra commands: serve (the default), token and
// migrate. Each reads its configuration, opens the database and does its
// one job.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/baseline"
	"github.com/orquestra/orquestra/internal/config"
	"github.com/orquestra/orquestra/internal/demo"
	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/events"
	"github.com/orquestra/orquestra/internal/gendata"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/server"
	"github.com/orquestra/orquestra/internal/signin"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/upload"
)

// Cache sizes, in entries. Each cache also has a byte budget
// (idl.CacheBytes and docgen.CacheBytes), so that a few 10 MiB IDLs cannot
// fill the memory that 64 small ones would take.
const (
	ProgramCacheSize = 64
	DocsCacheSize    = 64
)

// commands are the command names Run accepts as args[0]. gendata and
// baseline serve benchmarks and are left out of the usage text.
var commands = []string{"serve", "token", "migrate", "gendata", "baseline"}

// Run runs the command named by args[0] (serve when absent or a flag) until
// ctx is cancelled or the command ends.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if !slices.Contains(commands, args[0]) {
			return fmt.Errorf("unknown command %q: use serve, token or migrate, or -h for the flags", args[0])
		}
		command, args = args[0], args[1:]
	}

	cfg, err := config.Parse(command, args, getenv, stderr)
	if err != nil {
		return err
	}
	if command != "token" && len(cfg.Args) > 0 {
		return fmt.Errorf("unexpected argument %q: orquestra %s takes flags only", cfg.Args[0], command)
	}
	log := cfg.Logger(stderr)
	if cfg.GCPercent > 0 {
		debug.SetGCPercent(cfg.GCPercent)
	}

	switch command {
	case "token":
		return runToken(ctx, cfg, log, stdout)
	case "migrate":
		return runMigrate(ctx, cfg, log)
	case "gendata":
		return runGendata(ctx, cfg, log, stdout)
	case "baseline":
		return runBaseline(ctx, cfg, log)
	default:
		return runServe(ctx, cfg, log)
	}
}

// openStore opens and migrates the database. A SQLite file that did not
// exist is created and a log line reports it, because a mistyped -db would
// otherwise look like a database that lost its data.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*storage.Store, error) {
	created := false
	if !storage.IsPostgres(cfg.DB) {
		_, statErr := os.Stat(cfg.DB)
		created = errors.Is(statErr, fs.ErrNotExist)
	}

	store, err := storage.Open(ctx, cfg.DB, log)
	if err != nil {
		return nil, err
	}

	applied, err := store.Migrate(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	if created {
		log.Info("created a new, empty database: if you meant an existing one, check -db", "db", storage.Redact(cfg.DB))
	}
	if len(applied) > 0 {
		log.Info("applied migrations", "db", storage.Redact(cfg.DB), "versions", applied)
	}

	return store, nil
}

func tokens(ctx context.Context, cfg *config.Config, store *storage.Store) (*auth.Tokens, error) {
	secret := cfg.JWTSecret
	if secret == "" {
		var err error
		if secret, err = store.Setting(ctx, "jwt_secret", auth.GenerateSecret); err != nil {
			return nil, err
		}
	}

	return auth.NewTokens([]byte(secret), cfg.TokenTTL)
}

func runToken(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	if len(cfg.Args) != 1 {
		return errors.New("usage: orquestra token [-db FILE] USERNAME")
	}
	username := cfg.Args[0]
	if !auth.ValidUsername(username) {
		return fmt.Errorf("invalid username %q: use 1 to 39 letters, digits or hyphens, starting with a letter or digit", username)
	}

	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()

	issuer, err := tokens(ctx, cfg, store)
	if err != nil {
		return err
	}

	user, err := store.EnsureLocalUser(ctx, username)
	if err != nil {
		return err
	}

	token, err := issuer.Issue(user.ID)
	if err != nil {
		return err
	}

	_, err = fmt.Fprintln(stdout, token)
	return err
}

func runMigrate(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}

	log.Info("database is up to date", "db", storage.Redact(cfg.DB))
	return store.Close()
}

// runGendata fills a new database with a synthetic platform for benchmarks.
func runGendata(ctx context.Context, cfg *config.Config, log *slog.Logger, stdout io.Writer) error {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()

	start := time.Now()
	res, err := gendata.Generate(ctx, store, gendata.Options{Projects: cfg.GenProjects, Seed: cfg.GenSeed})
	if err != nil {
		return err
	}
	// Closing checkpoints the write-ahead log into the file, so that the
	// size printed is the file's final size.
	if err := store.Close(); err != nil {
		return err
	}

	_, err = fmt.Fprintf(stdout, "generated %d users, %d projects (%d public), %d IDL versions, %d known addresses in %s",
		res.Users, res.Projects, res.PublicProjects, res.Versions, res.KnownAddresses, time.Since(start).Round(time.Millisecond))
	if err != nil {
		return err
	}

	// A PostgreSQL database has no file whose size could be printed.
	if info, statErr := os.Stat(cfg.DB); statErr == nil && !storage.IsPostgres(cfg.DB) {
		_, err = fmt.Fprintf(stdout, "; %s is %d bytes", cfg.DB, info.Size())
		if err != nil {
			return err
		}
	}
	_, err = fmt.Fprintln(stdout)
	return err
}

// runBaseline serves the public projects page from one hand-written SQL
// statement, as the yardstick for the GraphQL server in benchmarks.
func runBaseline(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()

	return listenAndServe(ctx, cfg, baseline.Handler(store, log), log)
}

func runServe(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()

	issuer, err := tokens(ctx, cfg, store)
	if err != nil {
		return err
	}

	programs, docs := idl.NewCache(ProgramCacheSize), docgen.NewCache(DocsCacheSize)
	uploads := upload.NewService(store, programs, docs)
	if cfg.Demo {
		if err := loadDemo(ctx, store, uploads, log); err != nil {
			return err
		}
	}

	broker, err := newBroker(ctx, store, log)
	if err != nil {
		return err
	}

	handler := server.New(server.Options{
		Store:       store,
		Uploads:     uploads,
		Programs:    programs,
		Docs:        docs,
		Tokens:      issuer,
		Log:         log,
		Loaders:     loader.Options{Wait: cfg.LoaderWait, BatchCapacity: loader.DefaultOptions.BatchCapacity, Unbatched: !cfg.Batching},
		Limits:      cfg.Limits,
		CORSOrigins: cfg.CORSOrigins,
		SignIn:      signin.New(cfg.SignIn, store, issuer, log),
		Pprof:       cfg.Pprof,
		Events:      broker,
		Stopping:    ctx,
	})

	return listenAndServe(ctx, cfg, handler, log)
}

// newBroker returns the broker of subscription events: in process on
// SQLite, and through PostgreSQL's NOTIFY, listening until ctx ends, when
// several replicas share a PostgreSQL database.
func newBroker(ctx context.Context, store *storage.Store, log *slog.Logger) (events.Broker, error) {
	if store.DSN() == "" {
		return events.NewLocal(), nil
	}

	broker := events.NewPostgres(store.WriteDB(), store.DSN(), log)
	if err := broker.Listen(ctx); err != nil {
		return nil, err
	}

	return broker, nil
}

func loadDemo(ctx context.Context, store *storage.Store, uploads *upload.Service, log *slog.Logger) error {
	loaded, err := demo.Load(ctx, store, uploads)
	if err != nil {
		return err
	}
	if loaded {
		log.Info("loaded demo projects", "owner", demo.Username)
	} else {
		log.Info("database already has projects: demo data not loaded")
	}

	return nil
}

func listenAndServe(ctx context.Context, cfg *config.Config, handler http.Handler, log *slog.Logger) error {
	addr := cfg.Addr
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}

	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}

	log.Info("listening", "addr", "http://"+listener.Addr().String(), "graphiql", "http://"+listener.Addr().String()+"/")

	served := make(chan error, 1)
	go func() { served <- srv.Serve(listener) }()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}

	log.Info("shutting down", "grace", cfg.ShutdownGrace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}

	log.Info("stopped")
	return nil
}
