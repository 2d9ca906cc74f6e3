package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/app"
	"github.com/orquestra/orquestra/internal/testdb"
)

func noEnv(string) string { return "" }

func TestTokenPrintsJWTAsLastLine(t *testing.T) {
	db := testdb.DSN(t)

	var first, second bytes.Buffer
	require.NoError(t, app.Run(context.Background(), []string{"token", "-db", db, "alice"}, noEnv, &first, io.Discard), "first token")
	require.NoError(t, app.Run(context.Background(), []string{"token", "-db", db, "alice"}, noEnv, &second, io.Discard), "second token")

	for _, out := range []string{first.String(), second.String()} {
		lines := strings.Split(strings.TrimSpace(out), "\n")
		token := lines[len(lines)-1]
		assert.Len(t, strings.Split(token, "."), 3, "the last line is a JWT: %q", token)
	}
}

func TestTokenRejectsBadUsername(t *testing.T) {
	db := testdb.DSN(t)

	err := app.Run(context.Background(), []string{"token", "-db", db, "-not valid-"}, noEnv, io.Discard, io.Discard)
	require.Error(t, err, "an invalid username is rejected")
	assert.Contains(t, err.Error(), "-not valid-", "the error names the username")
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := testdb.DSN(t)

	for i := 0; i < 2; i++ {
		require.NoError(t, app.Run(context.Background(), []string{"migrate", "-db", db}, noEnv, io.Discard, io.Discard), "migrate run %d", i+1)
	}
}

func TestEnvironmentFillsUnsetFlags(t *testing.T) {
	db := testdb.DSN(t)
	env := map[string]string{"ORQUESTRA_DB": db, "ORQUESTRA_LOG_LEVEL": "nonsense"}

	err := app.Run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	require.Error(t, err, "an invalid ORQUESTRA_LOG_LEVEL is rejected")
	assert.Contains(t, err.Error(), "nonsense", "the error names the value")

	err = app.Run(context.Background(), []string{"migrate", "-log-level", "warn"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	require.NoError(t, err, "the flag wins over the variable")
}

func freeAddr(t *testing.T) string {
	t.Helper()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "find a free port")
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	return addr
}

func TestServeDemoAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addr := freeAddr(t)
	db := testdb.DSN(t)

	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, []string{"-addr", addr, "-db", db, "-demo"}, noEnv, io.Discard, io.Discard)
	}()

	base := "http://" + addr
	require.Eventually(t, func() bool {
		res, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 20*time.Second, 20*time.Millisecond, "the server becomes ready")

	res, err := http.Get(base + "/")
	require.NoError(t, err, "GET /")
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode, "GraphiQL status")
	assert.Contains(t, strings.ToLower(string(page)), "graphiql", "GET / serves GraphiQL")

	body := strings.NewReader(`{"query": "{ projects { totalCount edges { node { name owner { username } latestVersion { program { name } } } } } }"}`)
	res, err = http.Post(base+"/query", "application/json", body)
	require.NoError(t, err, "POST /query")
	var out struct {
		Data struct {
			Projects struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Name  string
						Owner struct{ Username string }
					}
				}
			}
		}
		Errors []any
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out), "decode demo query")
	res.Body.Close()
	assert.Empty(t, out.Errors, "demo query errors")
	assert.GreaterOrEqual(t, out.Data.Projects.TotalCount, 5, "demo projects loaded")
	assert.Equal(t, "demo", out.Data.Projects.Edges[0].Node.Owner.Username, "demo owner")

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err, "serve returns cleanly on shutdown")
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20 s of cancellation")
	}
}

func TestUnknownCommandAndArgumentsRejected(t *testing.T) {
	err := app.Run(context.Background(), []string{"migrte"}, noEnv, io.Discard, io.Discard)
	require.Error(t, err, "a misspelt command is rejected, not served")
	assert.Contains(t, err.Error(), "migrte", "the error names the command")

	err = app.Run(context.Background(), []string{"migrate", "-db", testdb.DSN(t), "extra"}, noEnv, io.Discard, io.Discard)
	require.Error(t, err, "an extra argument is rejected")
	assert.Contains(t, err.Error(), "extra", "the error names the argument")
}

func TestZeroLimitsRejected(t *testing.T) {
	for _, flag := range []string{"-max-batch", "-max-depth", "-max-complexity", "-request-timeout", "-token-ttl"} {
		value := "0"
		if flag == "-request-timeout" || flag == "-token-ttl" {
			value = "-5h"
		}

		err := app.Run(context.Background(), []string{"migrate", "-db", testdb.DSN(t), flag, value}, noEnv, io.Discard, io.Discard)
		require.Error(t, err, "%s %s is rejected", flag, value)
		assert.Contains(t, err.Error(), flag, "the error names the flag")
	}
}

func TestDebugLogHidesTheJWTSecret(t *testing.T) {
	db := testdb.DSN(t)
	var logs bytes.Buffer
	require.NoError(t, app.Run(context.Background(), []string{"token", "-db", db, "-log-level", "debug", "alice"}, noEnv, io.Discard, &logs), "token with debug logging")

	assert.Contains(t, logs.String(), "msg=sql", "debug logging writes statements")
	assert.NotContains(t, logs.String(), "jwt_secret', '", "the secret's value is not logged")
	assert.Contains(t, logs.String(), "settings table, not logged", "the statement on settings is replaced")
}

func TestGCPercentYieldsToGOGC(t *testing.T) {
	db := testdb.DSN(t)
	t.Cleanup(func() { debug.SetGCPercent(100) })

	debug.SetGCPercent(100)
	require.NoError(t, app.Run(context.Background(), []string{"migrate", "-db", db, "-gc-percent", "250"}, noEnv, io.Discard, io.Discard), "migrate")
	assert.Equal(t, 250, debug.SetGCPercent(100), "-gc-percent sets the collector's target")

	gogc := func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	}
	require.NoError(t, app.Run(context.Background(), []string{"migrate", "-db", db, "-gc-percent", "250"}, gogc, io.Discard, io.Discard), "migrate with GOGC")
	assert.Equal(t, 100, debug.SetGCPercent(100), "a set GOGC wins over -gc-percent")

	err := app.Run(context.Background(), []string{"migrate", "-db", db, "-gc-percent", "-1"}, noEnv, io.Discard, io.Discard)
	require.Error(t, err, "a negative -gc-percent is rejected")
	assert.Contains(t, err.Error(), "gc-percent is -1", "the error names the flag and value")
}

func TestMissingDatabaseFolderNamed(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("a SQLite path: not applicable on PostgreSQL")
	}
	path := t.TempDir() + "/no/such/folder/x.db"

	err := app.Run(context.Background(), []string{"migrate", "-db", path}, noEnv, io.Discard, io.Discard)
	require.Error(t, err, "a database in a missing folder is rejected")
	assert.Contains(t, err.Error(), path, "the error names the path")
	assert.Contains(t, err.Error(), "folder exists", "the error says what to check")
}

func TestNewDatabaseIsLogged(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("a SQLite path: not applicable on PostgreSQL")
	}
	path := t.TempDir() + "/typo.db"

	var logs bytes.Buffer
	require.NoError(t, app.Run(context.Background(), []string{"token", "-db", path, "alice"}, noEnv, io.Discard, &logs), "token")
	assert.Contains(t, logs.String(), "created a new, empty database", "the first run says it created the file")

	logs.Reset()
	require.NoError(t, app.Run(context.Background(), []string{"token", "-db", path, "alice"}, noEnv, io.Discard, &logs), "token again")
	assert.NotContains(t, logs.String(), "created a new", "a second run opens the existing file")
}

func TestLogsHideTheDatabasePassword(t *testing.T) {
	dsn := testdb.DSN(t)
	u, err := url.Parse(dsn)
	password, set := "", false
	if err == nil && u.User != nil {
		password, set = u.User.Password()
	}
	if !set || password == "" {
		t.Skip("the test database URL has no password: run with TEST_POSTGRES_DSN")
	}

	var logs bytes.Buffer
	require.NoError(t, app.Run(context.Background(), []string{"migrate", "-db", dsn}, noEnv, io.Discard, &logs), "migrate")
	require.NoError(t, app.Run(context.Background(), []string{"migrate", "-db", dsn}, noEnv, io.Discard, &logs), "migrate again")

	assert.NotEmpty(t, logs.String(), "migrate logs")
	assert.NotContains(t, logs.String(), ":"+password+"@", "the password is hidden")
}

func TestTokenReadsFlagsAfterTheName(t *testing.T) {
	db := testdb.DSN(t)

	var out bytes.Buffer
	require.NoError(t, app.Run(context.Background(), []string{"token", "alice", "-db", db}, noEnv, &out, io.Discard), "token with -db after the name")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Len(t, strings.Split(lines[len(lines)-1], "."), 3, "the last line is a JWT: %q", out.String())

	err := app.Run(context.Background(), []string{"token", "alice", "-db", db, "bob"}, noEnv, io.Discard, io.Discard)
	assert.Error(t, err, "a second user name is rejected")
}

func TestCommandHelpListsItsOwnFlags(t *testing.T) {
	var help bytes.Buffer
	_ = app.Run(context.Background(), []string{"token", "-h"}, noEnv, io.Discard, &help)
	assert.Contains(t, help.String(), "orquestra token [flags] USERNAME", "token's usage line")
	assert.Contains(t, help.String(), "-db", "token reads -db")
	assert.NotContains(t, help.String(), "-addr", "token does not listen")

	help.Reset()
	_ = app.Run(context.Background(), []string{"-h"}, noEnv, io.Discard, &help)
	assert.Contains(t, help.String(), "Other commands: token USERNAME, migrate", "serve's help names the other commands")
	assert.Contains(t, help.String(), "-addr", "serve listens")
}
