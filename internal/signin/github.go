// Package signin signs users in with GitHub: the OAuth 2.0 authorization
// code flow with a state cookie, the GitHub user and email look-ups, the
// upsert of the users row and the session token that ends it.
package signin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/request"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

// GitHub's public endpoints, the defaults of Config.
const (
	DefaultAuthURL  = "https://github.com/login/oauth/authorize"
	DefaultTokenURL = "https://github.com/login/oauth/access_token"
	DefaultAPIURL   = "https://api.github.com"
)

// Scopes are the OAuth scopes sign-in requests: the profile, and the email
// addresses for users whose profile shows none.
var Scopes = []string{"read:user", "user:email"}

// StateCookie is the cookie that carries the state between the redirect to
// GitHub and the callback.
const StateCookie = "orquestra_oauth_state"

// stateTTL is how long a user has to approve the app on GitHub.
const stateTTL = 10 * time.Minute

// gitHubTimeout bounds each request to GitHub when Config.HTTPClient is nil.
const gitHubTimeout = 10 * time.Second

// maxGitHubBody caps how much of a GitHub API response is read.
const maxGitHubBody = 1 << 20

// Config configures sign-in. An empty ClientID turns sign-in off.
type Config struct {
	ClientID     string
	ClientSecret string
	// AuthURL, TokenURL and APIURL are GitHub's endpoints; empty ones are
	// github.com's. GitHub Enterprise and test stand-ins set their own.
	AuthURL  string
	TokenURL string
	APIURL   string
	// FrontendURL, when set, is where the callback redirects with the
	// session token in the URL fragment, in place of a JSON response.
	FrontendURL string
	// HTTPClient sends the requests to GitHub. Nil means a client with a
	// 10 s timeout.
	HTTPClient *http.Client
}

// Users creates or updates the user of a GitHub account.
type Users interface {
	UpsertGitHubUser(ctx context.Context, p storage.GitHubProfile) (*models.User, error)
}

// GitHub serves the two sign-in routes. A nil *GitHub, or one built without
// a client id, responds to both with 503 and a message naming
// ORQUESTRA_GITHUB_CLIENT_ID.
type GitHub struct {
	oauth    oauth2.Config
	apiURL   string
	frontend string
	client   *http.Client
	users    Users
	tokens   *auth.Tokens
	log      *slog.Logger
}

// New returns the sign-in handlers for cfg.
func New(cfg Config, users Users, tokens *auth.Tokens, log *slog.Logger) *GitHub {
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: gitHubTimeout}
	}

	return &GitHub{
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Scopes:       Scopes,
			Endpoint: oauth2.Endpoint{
				AuthURL:  orDefault(cfg.AuthURL, DefaultAuthURL),
				TokenURL: orDefault(cfg.TokenURL, DefaultTokenURL),
				// GitHub takes the client secret in the form body; saying so
				// saves the library's probing of both styles.
				AuthStyle: oauth2.AuthStyleInParams,
			},
		},
		apiURL:   strings.TrimSuffix(orDefault(cfg.APIURL, DefaultAPIURL), "/"),
		frontend: cfg.FrontendURL,
		client:   client,
		users:    users,
		tokens:   tokens,
		log:      log,
	}
}

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}

	return value
}

func (g *GitHub) enabled() bool {
	return g != nil && g.oauth.ClientID != ""
}

// Start serves GET /auth/github: it sets a random state and a PKCE code
// verifier in a short-lived cookie, and redirects to GitHub's authorize URL
// with the same state and the verifier's S256 challenge.
func (g *GitHub) Start(w http.ResponseWriter, r *http.Request) {
	if !g.enabled() {
		writeDisabled(w)
		return
	}

	state, err := newState()
	if err != nil {
		g.writeInternal(w, r, "create sign-in state", err)
		return
	}

	verifier := oauth2.GenerateVerifier()

	http.SetCookie(w, &http.Cookie{
		Name:     StateCookie,
		Value:    state + "." + verifier,
		Path:     "/auth/github",
		MaxAge:   int(stateTTL.Seconds()),
		HttpOnly: true,
		Secure:   isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, g.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

// Callback serves GET /auth/github/callback: it checks the state, exchanges
// the code for a GitHub token, reads the GitHub user, creates or updates the
// users row and responds with a session token.
func (g *GitHub) Callback(w http.ResponseWriter, r *http.Request) {
	if !g.enabled() {
		writeDisabled(w)
		return
	}

	query := r.URL.Query()
	cookie, cookieErr := r.Cookie(StateCookie)
	// A state is good for one callback, whatever its outcome.
	http.SetCookie(w, &http.Cookie{Name: StateCookie, Path: "/auth/github", MaxAge: -1, HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteLaxMode})

	if code := query.Get("error"); code != "" {
		message := fmt.Sprintf("GitHub did not authorize the sign-in: %s", code)
		if description := query.Get("error_description"); description != "" {
			message += " (" + description + ")"
		}
		g.rejected(r, message)
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "", message+": start again at /auth/github")
		return
	}

	verifier, err := checkState(query.Get("state"), cookie, cookieErr)
	if err != nil {
		g.rejected(r, err.Error())
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "state", err.Error())
		return
	}
	code := query.Get("code")
	if code == "" {
		g.rejected(r, "no code parameter")
		writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", "code", "the callback has no code parameter: start again at /auth/github")
		return
	}

	g.finish(w, r, code, verifier)
}

func (g *GitHub) finish(w http.ResponseWriter, r *http.Request, code, verifier string) {
	ctx := r.Context()

	profile, err := g.profile(ctx, code, verifier)
	var ghErr *gitHubError
	if errors.As(err, &ghErr) {
		g.log.WarnContext(ctx, "GitHub sign-in failed", "err", ghErr.cause, "request_id", request.ID(ctx))
		writeError(w, http.StatusBadGateway, "BAD_GATEWAY", "", ghErr.message)
		return
	}
	if err != nil {
		g.writeInternal(w, r, "read GitHub user", err)
		return
	}

	user, err := g.users.UpsertGitHubUser(ctx, profile)
	if e, ok := apperr.As(err); ok && e.Kind == apperr.Conflict {
		writeError(w, http.StatusConflict, string(apperr.Conflict), "", e.Message)
		return
	}
	if err != nil {
		g.writeInternal(w, r, "save GitHub user", err)
		return
	}

	token, err := g.tokens.Issue(user.ID)
	if err != nil {
		g.writeInternal(w, r, "issue session token", err)
		return
	}

	g.log.InfoContext(ctx, "signed in with GitHub", "user_id", user.ID, "github_id", user.GitHubID, "request_id", request.ID(ctx))
	g.respond(w, token, user)
}

// respond redirects to the front end with the token in the URL fragment,
// which browsers never send to a server, or returns the token as JSON.
func (g *GitHub) respond(w http.ResponseWriter, token string, user *models.User) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")

	if g.frontend != "" {
		target, _ := url.Parse(g.frontend) // checked by the configuration
		target.Fragment, target.RawFragment = "", ""
		w.Header().Set("Location", target.String()+"#token="+url.QueryEscape(token))
		w.WriteHeader(http.StatusFound)
		return
	}

	githubID := user.GitHubID
	body := map[string]any{
		"token": token,
		"user": map[string]any{
			"id":        user.ID,
			"githubId":  githubID,
			"username":  user.Username,
			"email":     user.Email,
			"avatarUrl": user.AvatarURL,
		},
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

// rejected logs a callback rejected before GitHub is called.
func (g *GitHub) rejected(r *http.Request, reason string) {
	g.log.WarnContext(r.Context(), "rejected GitHub sign-in callback", "reason", reason, "request_id", request.ID(r.Context()))
}

// checkState compares the callback's state with the state cookie, which
// contains the state and the PKCE code verifier joined by a dot, and
// returns the verifier.
func checkState(got string, cookie *http.Cookie, cookieErr error) (string, error) {
	if cookieErr != nil || cookie.Value == "" {
		return "", errors.New("the sign-in state cookie is missing or expired (sign-in must finish within 10 minutes, in the browser that started it): start again at /auth/github")
	}
	if got == "" {
		return "", errors.New("the callback has no state parameter: start again at /auth/github")
	}

	state, verifier, ok := strings.Cut(cookie.Value, ".")
	if !ok || verifier == "" {
		return "", errors.New("the sign-in state cookie is malformed: start again at /auth/github")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(state)) != 1 {
		return "", errors.New("the callback's state does not match the sign-in state cookie: start again at /auth/github")
	}

	return verifier, nil
}

func newState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}

	return base64.RawURLEncoding.EncodeToString(b), nil
}

// isHTTPS reports whether the browser reached the server over HTTPS,
// directly or through a proxy that sets X-Forwarded-Proto: https.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func writeDisabled(w http.ResponseWriter) {
	writeError(w, http.StatusServiceUnavailable, "SIGN_IN_DISABLED", "",
		"sign-in with GitHub is off: set ORQUESTRA_GITHUB_CLIENT_ID and ORQUESTRA_GITHUB_CLIENT_SECRET (or -github-client-id and -github-client-secret) to the OAuth app's credentials")
}

func (g *GitHub) writeInternal(w http.ResponseWriter, r *http.Request, action string, err error) {
	id := request.ID(r.Context())
	g.log.ErrorContext(r.Context(), action, "err", err, "request_id", id)
	writeError(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "", "internal server error (request id "+id+")")
}

// writeError responds in the shape of a GraphQL error, so that clients read
// sign-in errors with the code they use for every other error.
func writeError(w http.ResponseWriter, status int, code, field, message string) {
	extensions := map[string]any{"code": code}
	if field != "" {
		extensions["field"] = field
	}

	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": message, "extensions": extensions}}})
}
