// Package config reads the server's settings from command-line flags and
// ORQUESTRA_* environment variables; a flag wins over its variable.
package config

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/internal/server"
	"github.com/orquestra/orquestra/internal/signin"
)

// DefaultGCPercent is the garbage collector's default target. With Go's
// default of 100, collection took about an eighth of the CPU in the load
// benchmark of the projects page. 400 trades about 25 MiB of peak memory
// there for most of that CPU.
const DefaultGCPercent = 400

// Config is the complete configuration of one command.
type Config struct {
	Addr       string
	DB         string
	Demo       bool
	JWTSecret  string
	TokenTTL   time.Duration
	LogLevel   slog.Level
	LogFormat  string
	LoaderWait time.Duration
	// ShutdownGrace is how long requests in flight may take to finish after
	// SIGTERM or SIGINT.
	ShutdownGrace time.Duration
	MaxBodyBytes  int64
	Limits        server.Limits
	CORSOrigins   []string
	// Batching turns dataloader batching and list priming on. With it off,
	// every nested lookup runs its own statement (N+1), for benchmarks.
	Batching bool
	// GCPercent is the garbage collector's target, as GOGC sets it. 0 keeps
	// the runtime's setting, and Parse sets 0 when GOGC is set.
	GCPercent int
	// GenProjects and GenSeed are the size and seed of the gendata command.
	GenProjects int
	GenSeed     uint64
	// Pprof serves CPU and memory profiles under /debug/pprof/ on Addr.
	Pprof bool
	// SignIn configures sign-in with GitHub.
	SignIn signin.Config
	// Args are the arguments left after the flags, such as a username.
	Args []string
}

// Parse reads the flags of a command from args and fills what they leave
// unset from getenv.
func Parse(command string, args []string, getenv func(string) string, output io.Writer) (*Config, error) {
	cfg := &Config{}
	fs := flag.NewFlagSet("orquestra "+command, flag.ContinueOnError)
	fs.SetOutput(output)

	var logLevel string
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on, host:port (ORQUESTRA_ADDR)")
	fs.StringVar(&cfg.DB, "db", "orquestra.db", "database: a SQLite file path, created if missing, or a postgres:// URL (ORQUESTRA_DB)")
	fs.BoolVar(&cfg.Demo, "demo", false, "load demo projects from real public IDLs into an empty database (ORQUESTRA_DEMO)")
	fs.StringVar(&cfg.JWTSecret, "jwt-secret", "", "secret that signs session tokens, at least 32 bytes; generated and kept in the database when empty (ORQUESTRA_JWT_SECRET)")
	fs.DurationVar(&cfg.TokenTTL, "token-ttl", auth.DefaultTokenTTL, "how long a session token stays valid (ORQUESTRA_TOKEN_TTL)")
	fs.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error (ORQUESTRA_LOG_LEVEL)")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json (ORQUESTRA_LOG_FORMAT)")
	fs.DurationVar(&cfg.ShutdownGrace, "shutdown-grace", 15*time.Second, "how long requests in flight may take to finish after SIGTERM or SIGINT (ORQUESTRA_SHUTDOWN_GRACE)")
	fs.DurationVar(&cfg.LoaderWait, "loader-wait", loader.DefaultOptions.Wait, "how long a dataloader collects keys before it queries (ORQUESTRA_LOADER_WAIT)")
	fs.Int64Var(&cfg.MaxBodyBytes, "max-body-bytes", server.DefaultMaxBodyBytes, "largest request body accepted, in bytes (ORQUESTRA_MAX_BODY_BYTES)")
	d := server.DefaultLimits
	fs.IntVar(&cfg.Limits.Operation.Depth, "max-depth", d.Operation.Depth, "deepest selection nesting of an operation (ORQUESTRA_MAX_DEPTH)")
	fs.IntVar(&cfg.Limits.Operation.Aliases, "max-aliases", d.Operation.Aliases, "most aliases in an operation (ORQUESTRA_MAX_ALIASES)")
	fs.IntVar(&cfg.Limits.Operation.RootFields, "max-root-fields", d.Operation.RootFields, "most root fields in an operation (ORQUESTRA_MAX_ROOT_FIELDS)")
	fs.IntVar(&cfg.Limits.Operation.Selections, "max-selections", d.Operation.Selections, "most field selections in an operation, counting each place a fragment is spread (ORQUESTRA_MAX_SELECTIONS)")
	fs.IntVar(&cfg.Limits.Complexity, "max-complexity", d.Complexity, "highest cost of an operation; a page of first: N costs N times its fields (ORQUESTRA_MAX_COMPLEXITY)")
	fs.IntVar(&cfg.Limits.Tokens, "max-tokens", d.Tokens, "most lexical tokens in a GraphQL document (ORQUESTRA_MAX_TOKENS)")
	fs.IntVar(&cfg.Limits.Batch, "max-batch", d.Batch, "most operations in one batched request; 1 turns batching off (ORQUESTRA_MAX_BATCH)")
	fs.DurationVar(&cfg.Limits.Timeout, "request-timeout", d.Timeout, "time after which a request and its database work are cancelled (ORQUESTRA_REQUEST_TIMEOUT)")
	fs.IntVar(&cfg.Limits.UploadsPerMinute, "uploads-per-minute", d.UploadsPerMinute, "uploads each user, or the API keys of one project together, may make a minute; 0 turns the limit off (ORQUESTRA_UPLOADS_PER_MINUTE)")
	fs.IntVar(&cfg.Limits.UploadBurst, "upload-burst", d.UploadBurst, "uploads each user or API key may make at once before the rate applies (ORQUESTRA_UPLOAD_BURST)")
	fs.IntVar(&cfg.Limits.WebSockets, "max-websockets", d.WebSockets, "most open WebSocket connections the server accepts (ORQUESTRA_MAX_WEBSOCKETS)")
	fs.IntVar(&cfg.Limits.Subscriptions, "max-subscriptions", d.Subscriptions, "most open subscriptions on one WebSocket connection (ORQUESTRA_MAX_SUBSCRIPTIONS)")
	fs.IntVar(&cfg.Limits.PersistedQueries, "persisted-queries", d.PersistedQueries, "most queries kept for automatic persisted queries (ORQUESTRA_PERSISTED_QUERIES)")
	fs.BoolVar(&cfg.Batching, "batching", true, "batch nested lookups with dataloaders; false runs one statement per lookup, for benchmarks (ORQUESTRA_BATCHING)")
	fs.IntVar(&cfg.GCPercent, "gc-percent", DefaultGCPercent, "heap growth, in percent, that starts a garbage collection, as GOGC; 0 keeps the runtime's setting, and a set GOGC wins (ORQUESTRA_GC_PERCENT)")
	fs.BoolVar(&cfg.Pprof, "pprof", false, "serve runtime profiles under /debug/pprof/ on the listen address, for profiling; keep it off in production (ORQUESTRA_PPROF)")
	if command == "gendata" {
		fs.IntVar(&cfg.GenProjects, "projects", 1000, "number of projects to generate, with one user per 10 projects (ORQUESTRA_PROJECTS)")
		fs.Uint64Var(&cfg.GenSeed, "seed", 1, "seed of the random values; the same seed and size give the same data (ORQUESTRA_SEED)")
	}
	var corsOrigins string
	fs.StringVar(&corsOrigins, "cors-origins", "", "comma-separated front-end origins allowed to call the API from a browser, such as https://app.example.com (ORQUESTRA_CORS_ORIGINS)")

	fs.StringVar(&cfg.SignIn.ClientID, "github-client-id", "", "client id of the GitHub OAuth app; empty turns sign-in with GitHub off (ORQUESTRA_GITHUB_CLIENT_ID)")
	fs.StringVar(&cfg.SignIn.ClientSecret, "github-client-secret", "", "client secret of the GitHub OAuth app (ORQUESTRA_GITHUB_CLIENT_SECRET)")
	fs.StringVar(&cfg.SignIn.AuthURL, "github-auth-url", signin.DefaultAuthURL, "GitHub's OAuth authorize URL (ORQUESTRA_GITHUB_AUTH_URL)")
	fs.StringVar(&cfg.SignIn.TokenURL, "github-token-url", signin.DefaultTokenURL, "GitHub's OAuth access token URL (ORQUESTRA_GITHUB_TOKEN_URL)")
	fs.StringVar(&cfg.SignIn.APIURL, "github-api-url", signin.DefaultAPIURL, "GitHub's REST API base URL (ORQUESTRA_GITHUB_API_URL)")
	fs.StringVar(&cfg.SignIn.FrontendURL, "frontend-url", "", "front-end URL that sign-in redirects to with #token=...; empty returns the token as JSON (ORQUESTRA_FRONTEND_URL)")

	fs.Usage = func() { usage(fs, command, output) }

	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	// The flag package stops at the first argument, so flags after the
	// token command's user name are parsed in a second pass.
	cfg.Args = fs.Args()
	if command == "token" && len(cfg.Args) > 1 {
		name := cfg.Args[0]
		if err := fs.Parse(cfg.Args[1:]); err != nil {
			return nil, err
		}
		cfg.Args = append([]string{name}, fs.Args()...)
	}
	if err := fillFromEnv(fs, getenv); err != nil {
		return nil, err
	}
	if getenv("GOGC") != "" {
		cfg.GCPercent = 0
	}
	cfg.Limits.MaxBodyBytes = cfg.MaxBodyBytes
	cfg.CORSOrigins = splitList(corsOrigins)

	return cfg, cfg.finish(logLevel)
}

// fillFromEnv sets every flag not given on the command line from its
// ORQUESTRA_ variable, named after the flag in upper case.
func fillFromEnv(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}

		name := "ORQUESTRA_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if value := getenv(name); value != "" {
			if setErr := f.Value.Set(value); setErr != nil {
				err = fmt.Errorf("invalid %s=%q: %w", name, value, setErr)
			}
		}
	})

	return err
}

func (c *Config) finish(logLevel string) error {
	if err := c.LogLevel.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("invalid log level %q: use debug, info, warn or error", logLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("invalid log format %q: use text or json", c.LogFormat)
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		return fmt.Errorf("the JWT secret is %d bytes: use at least 32", len(c.JWTSecret))
	}
	if err := c.checkPositive(); err != nil {
		return err
	}
	if c.GCPercent < 0 {
		return fmt.Errorf("gc-percent is %d: give a percentage such as 100 or 400, or 0 to keep the runtime's setting", c.GCPercent)
	}
	if c.MaxBodyBytes < 1<<20 {
		return fmt.Errorf("max-body-bytes is %d: allow at least 1 MiB (1048576)", c.MaxBodyBytes)
	}
	for _, origin := range c.CORSOrigins {
		if origin == "*" || !(strings.HasPrefix(origin, "https://") || strings.HasPrefix(origin, "http://")) {
			return fmt.Errorf("invalid CORS origin %q: list full origins such as https://app.example.com; * is not allowed", origin)
		}
	}

	if err := c.SignIn.Validate(); err != nil {
		return err
	}

	return nil
}

// Logger returns a logger with the configured level and format.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}

	return slog.New(slog.NewTextHandler(w, opts))
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}

	return out
}

// checkPositive rejects zero and negative limits and durations: a limit of
// 0 would read as no limit at all, which an operator rarely means.
func (c *Config) checkPositive() error {
	values := []struct {
		flag     string
		positive bool
		value    any
	}{
		{"max-depth", c.Limits.Operation.Depth > 0, c.Limits.Operation.Depth},
		{"max-aliases", c.Limits.Operation.Aliases > 0, c.Limits.Operation.Aliases},
		{"max-root-fields", c.Limits.Operation.RootFields > 0, c.Limits.Operation.RootFields},
		{"max-selections", c.Limits.Operation.Selections > 0, c.Limits.Operation.Selections},
		{"max-complexity", c.Limits.Complexity > 0, c.Limits.Complexity},
		{"max-tokens", c.Limits.Tokens > 0, c.Limits.Tokens},
		{"max-batch", c.Limits.Batch > 0, c.Limits.Batch},
		{"persisted-queries", c.Limits.PersistedQueries > 0, c.Limits.PersistedQueries},
		{"max-websockets", c.Limits.WebSockets > 0, c.Limits.WebSockets},
		{"max-subscriptions", c.Limits.Subscriptions > 0, c.Limits.Subscriptions},
		{"request-timeout", c.Limits.Timeout > 0, c.Limits.Timeout},
		{"token-ttl", c.TokenTTL > 0, c.TokenTTL},
		{"shutdown-grace", c.ShutdownGrace > 0, c.ShutdownGrace},
		{"upload-burst", c.Limits.UploadBurst > 0, c.Limits.UploadBurst},
	}
	for _, v := range values {
		if !v.positive {
			return fmt.Errorf("-%s must be positive, not %v: give a limit, or leave the flag out for the default", v.flag, v.value)
		}
	}
	if c.Limits.UploadsPerMinute < 0 {
		return fmt.Errorf("-uploads-per-minute must not be negative: use 0 to turn the upload rate limit off")
	}

	return nil
}

// commandUsage is the first lines of each command's help, and the flags it
// reads; nil means every flag.
var commandUsage = map[string]struct {
	text  string
	flags []string
}{
	"serve": {text: "usage: orquestra [serve] [flags]\n\nServes the GraphQL API and GraphiQL. Other commands: token USERNAME, migrate;\nrun orquestra COMMAND -h for their flags.\n"},
	"token": {
		text:  "usage: orquestra token [flags] USERNAME\n\nPrints a session token for the local user USERNAME, creating the user if needed.\n",
		flags: []string{"db", "jwt-secret", "token-ttl", "log-level", "log-format"},
	},
	"migrate": {
		text:  "usage: orquestra migrate [flags]\n\nApplies the database migrations and exits.\n",
		flags: []string{"db", "log-level", "log-format"},
	},
}

// usage prints a command's help: what it does and the flags it reads.
func usage(fs *flag.FlagSet, command string, output io.Writer) {
	help, known := commandUsage[command]
	if !known {
		fmt.Fprintf(output, "usage: orquestra %s [flags]\n", command)
		fs.PrintDefaults()
		return
	}

	fmt.Fprintf(output, "%s\nFlags:\n", help.text)
	if help.flags == nil {
		fs.PrintDefaults()
		return
	}

	commandFlags := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	commandFlags.SetOutput(output)
	for _, name := range help.flags {
		if f := fs.Lookup(name); f != nil {
			commandFlags.Var(f.Value, f.Name, f.Usage)
		}
	}
	commandFlags.PrintDefaults()
}
