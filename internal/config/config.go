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

// Config is the complete configuration of one command.
type Config struct {
	Addr         string
	DB           string
	Demo         bool
	JWTSecret    string
	TokenTTL     time.Duration
	LogLevel     slog.Level
	LogFormat    string
	LoaderWait   time.Duration
	MaxBodyBytes int64
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
	fs.StringVar(&cfg.DB, "db", "orquestra.db", "SQLite database file, created if missing (ORQUESTRA_DB)")
	fs.BoolVar(&cfg.Demo, "demo", false, "load demo projects from real public IDLs into an empty database (ORQUESTRA_DEMO)")
	fs.StringVar(&cfg.JWTSecret, "jwt-secret", "", "secret that signs session tokens, at least 32 bytes; generated and kept in the database when empty (ORQUESTRA_JWT_SECRET)")
	fs.DurationVar(&cfg.TokenTTL, "token-ttl", auth.DefaultTokenTTL, "how long a session token stays valid (ORQUESTRA_TOKEN_TTL)")
	fs.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error (ORQUESTRA_LOG_LEVEL)")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json (ORQUESTRA_LOG_FORMAT)")
	fs.DurationVar(&cfg.LoaderWait, "loader-wait", loader.DefaultOptions.Wait, "how long a dataloader collects keys before it queries (ORQUESTRA_LOADER_WAIT)")
	fs.Int64Var(&cfg.MaxBodyBytes, "max-body-bytes", server.DefaultMaxBodyBytes, "largest request body accepted, in bytes (ORQUESTRA_MAX_BODY_BYTES)")

	fs.StringVar(&cfg.SignIn.ClientID, "github-client-id", "", "client id of the GitHub OAuth app; empty turns sign-in with GitHub off (ORQUESTRA_GITHUB_CLIENT_ID)")
	fs.StringVar(&cfg.SignIn.ClientSecret, "github-client-secret", "", "client secret of the GitHub OAuth app (ORQUESTRA_GITHUB_CLIENT_SECRET)")
	fs.StringVar(&cfg.SignIn.AuthURL, "github-auth-url", signin.DefaultAuthURL, "GitHub's OAuth authorize URL (ORQUESTRA_GITHUB_AUTH_URL)")
	fs.StringVar(&cfg.SignIn.TokenURL, "github-token-url", signin.DefaultTokenURL, "GitHub's OAuth access token URL (ORQUESTRA_GITHUB_TOKEN_URL)")
	fs.StringVar(&cfg.SignIn.APIURL, "github-api-url", signin.DefaultAPIURL, "GitHub's REST API base URL (ORQUESTRA_GITHUB_API_URL)")
	fs.StringVar(&cfg.SignIn.FrontendURL, "frontend-url", "", "front-end URL that sign-in redirects to with #token=...; empty returns the token as JSON (ORQUESTRA_FRONTEND_URL)")

	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := fillFromEnv(fs, getenv); err != nil {
		return nil, err
	}
	cfg.Args = fs.Args()

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
	if c.MaxBodyBytes < 1<<20 {
		return fmt.Errorf("max-body-bytes is %d: allow at least 1 MiB (1048576)", c.MaxBodyBytes)
	}

	if err := c.SignIn.Validate(); err != nil {
		return err
	}

	return nil
}

// Logger returns the logger the configuration asks for.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}

	return slog.New(slog.NewTextHandler(w, opts))
}
