package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/orquestra/orquestra/internal/signin"
	"github.com/orquestra/orquestra/internal/testserver"
)

const (
	fakeClientID     = "test-client-id"
	fakeClientSecret = "test-client-secret"
	fakeAccessToken  = "gho_test_access_token"
)

// fakeGitHub is a stand-in for GitHub's OAuth and REST endpoints, served on
// 127.0.0.1 by httptest. Its responses can be changed between sign-ins.
type fakeGitHub struct {
	t   *testing.T
	srv *httptest.Server

	mu sync.Mutex
	// callback is orquestra's callback URL, which a real GitHub takes from
	// the OAuth app's settings.
	callback string
	// user is the response to GET /user and emails the response to GET
	// /user/emails.
	user   map[string]any
	emails []map[string]any
	// userStatus and emailsStatus, when not zero, replace those responses
	// with an error status.
	userStatus   int
	emailsStatus int
	// tokenError, when set, makes the token endpoint return this OAuth error.
	tokenError string
	// codes are the authorization codes issued and not yet exchanged, with
	// the PKCE code challenge each was issued for.
	codes map[string]string
	// scope is the scope of the last authorize request.
	scope string
}

func startFakeGitHub(t *testing.T) *fakeGitHub {
	t.Helper()

	g := &fakeGitHub{t: t, codes: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/oauth/authorize", g.authorize)
	mux.HandleFunc("POST /login/oauth/access_token", g.accessToken)
	mux.HandleFunc("GET /api/user", g.apiUser)
	mux.HandleFunc("GET /api/user/emails", g.apiEmails)
	g.srv = httptest.NewServer(mux)
	t.Cleanup(g.srv.Close)

	return g
}

func (g *fakeGitHub) config() signin.Config {
	return signin.Config{
		ClientID:     fakeClientID,
		ClientSecret: fakeClientSecret,
		AuthURL:      g.srv.URL + "/login/oauth/authorize",
		TokenURL:     g.srv.URL + "/login/oauth/access_token",
		APIURL:       g.srv.URL + "/api",
	}
}

func (g *fakeGitHub) setUser(user map[string]any, emails ...map[string]any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.user, g.emails = user, emails
}

func (g *fakeGitHub) authorize(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()

	q := r.URL.Query()
	if q.Get("client_id") != fakeClientID || q.Get("state") == "" || q.Get("response_type") != "code" ||
		q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		http.Error(w, "bad authorize request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	g.scope = q.Get("scope")

	code := fmt.Sprintf("code-%d", len(g.codes)+1)
	g.codes[code] = q.Get("code_challenge")
	target := g.callback + "?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, target, http.StatusFound)
}

func (g *fakeGitHub) accessToken(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	code := r.PostFormValue("code")
	// Like GitHub, errors come with status 200 and an error field.
	switch {
	case g.tokenError != "":
		_, _ = io.WriteString(w, `{"error":"`+g.tokenError+`","error_description":"The code passed is incorrect or expired."}`)
	case r.PostFormValue("client_id") != fakeClientID || r.PostFormValue("client_secret") != fakeClientSecret:
		_, _ = io.WriteString(w, `{"error":"incorrect_client_credentials","error_description":"The client_id and/or client_secret passed are incorrect."}`)
	case g.codes[code] == "":
		_, _ = io.WriteString(w, `{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}`)
	case oauth2.S256ChallengeFromVerifier(r.PostFormValue("code_verifier")) != g.codes[code]:
		_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"The code_verifier does not match the code_challenge."}`)
	default:
		delete(g.codes, code)
		_, _ = io.WriteString(w, `{"access_token":"`+fakeAccessToken+`","token_type":"bearer","scope":"read:user,user:email"}`)
	}
}

func (g *fakeGitHub) apiUser(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.respond(w, r, g.userStatus, g.user)
}

func (g *fakeGitHub) apiEmails(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.respond(w, r, g.emailsStatus, g.emails)
}

func (g *fakeGitHub) respond(w http.ResponseWriter, r *http.Request, status int, body any) {
	if r.Header.Get("Authorization") != "Bearer "+fakeAccessToken {
		http.Error(w, `{"message":"Requires authentication"}`, http.StatusUnauthorized)
		return
	}
	if status != 0 {
		http.Error(w, `{"message":"Server Error"}`, status)
		return
	}

	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

// startSignIn starts orquestra with sign-in pointed at a stand-in GitHub.
func startSignIn(t *testing.T, frontend string) (*testserver.Server, *fakeGitHub) {
	t.Helper()

	g := startFakeGitHub(t)
	cfg := g.config()
	cfg.FrontendURL = frontend
	s := testserver.StartWith(t, testserver.Options{SignIn: cfg})
	g.callback = s.URL + "/auth/github/callback"

	return s, g
}

// browser returns an HTTP client with a cookie jar, like a browser.
func browser(t *testing.T) *http.Client {
	t.Helper()

	jar, err := cookiejar.New(nil)
	require.NoError(t, err, "create cookie jar")
	return &http.Client{Jar: jar}
}

type signInResult struct {
	Status int
	Body   []byte
	Token  string `json:"token"`
	User   struct {
		ID        string  `json:"id"`
		GitHubID  int64   `json:"githubId"`
		Username  string  `json:"username"`
		Email     string  `json:"email"`
		AvatarURL *string `json:"avatarUrl"`
	} `json:"user"`
	Errors []testserver.Error `json:"errors"`
}

func (a *signInResult) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	code, _ := a.Errors[0].Extensions["code"].(string)
	return code
}

// get sends a GET with the client and decodes a JSON result.
func get(t *testing.T, client *http.Client, target string) *signInResult {
	t.Helper()

	res, err := client.Get(target)
	require.NoError(t, err, "GET %s", target)
	defer res.Body.Close()

	body, err := io.ReadAll(res.Body)
	require.NoError(t, err, "read response of GET %s", target)

	out := &signInResult{Status: res.StatusCode, Body: body}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.Unmarshal(body, out), "decode response of GET %s: %s", target, body)
	}

	return out
}

// signIn runs the whole flow in a browser: /auth/github, GitHub's
// authorize page, the callback.
func signIn(t *testing.T, s *testserver.Server) *signInResult {
	t.Helper()

	return get(t, browser(t), s.URL+"/auth/github")
}

func octocat(email any, avatar string) map[string]any {
	return map[string]any{"id": 583231, "login": "octocat", "email": email, "avatar_url": avatar}
}

func TestGitHubSignInCreatesUser(t *testing.T) {
	s, g := startSignIn(t, "")
	g.setUser(octocat("octocat@github.example", "https://avatars.example/1"))

	result := signIn(t, s)
	require.Equal(t, http.StatusOK, result.Status, "sign-in status: %s", result.Body)
	assert.Equal(t, "read:user user:email", g.scope, "scopes asked of GitHub")
	assert.Equal(t, int64(583231), result.User.GitHubID, "githubId in the response")
	assert.Equal(t, "octocat", result.User.Username, "username in the response")
	assert.Equal(t, "octocat@github.example", result.User.Email, "email in the response")
	require.NotNil(t, result.User.AvatarURL, "avatarUrl in the response")
	assert.Equal(t, "https://avatars.example/1", *result.User.AvatarURL, "avatarUrl in the response")

	var me struct {
		Me struct{ ID, Username, Email string }
	}
	s.Query(t, result.Token, `{ me { id username email } }`, nil).Decode(t, &me)
	assert.Equal(t, result.User.ID, me.Me.ID, "the token signs in the new user")
	assert.Equal(t, "octocat@github.example", me.Me.Email, "the user sees their email")
	assert.Equal(t, 1, rowCounts(t, s)["users"], "one user created")
}

func TestGitHubSignInUpdatesUserInPlace(t *testing.T) {
	s, g := startSignIn(t, "")
	g.setUser(octocat("old@github.example", "https://avatars.example/old"))
	first := signIn(t, s)
	require.Equal(t, http.StatusOK, first.Status, "first sign-in: %s", first.Body)

	projectID := createProject(t, s, first.Token, "kept project", smallIDL(t), false)
	var created struct{ CreateApiKey struct{ Key string } }
	s.Query(t, first.Token, `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci"}) { key } }`,
		map[string]any{"id": projectID}).Decode(t, &created)

	g.setUser(octocat("new@github.example", "https://avatars.example/new"))
	second := signIn(t, s)
	require.Equal(t, http.StatusOK, second.Status, "second sign-in: %s", second.Body)
	assert.Equal(t, first.User.ID, second.User.ID, "the user keeps their id")
	assert.Equal(t, "new@github.example", second.User.Email, "the email is updated")
	require.NotNil(t, second.User.AvatarURL, "the avatar is kept")
	assert.Equal(t, "https://avatars.example/new", *second.User.AvatarURL, "the avatar is updated")

	var mine struct {
		Me struct {
			Email    string
			Projects struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						ID      string
						APIKeys []struct{ Name string } `json:"apiKeys"`
					}
				}
			}
		}
	}
	s.Query(t, second.Token, `{ me { email projects { totalCount edges { node { id apiKeys { name } } } } } }`, nil).Decode(t, &mine)
	assert.Equal(t, "new@github.example", mine.Me.Email, "me shows the new email")
	require.Equal(t, 1, mine.Me.Projects.TotalCount, "the user's project survives the second sign-in")
	assert.Equal(t, projectID, mine.Me.Projects.Edges[0].Node.ID, "the same project")
	assert.Len(t, mine.Me.Projects.Edges[0].Node.APIKeys, 1, "the project's key survives")

	res := s.QueryAs(t, testserver.Credentials{APIKey: created.CreateApiKey.Key}, `query($id: ID!) { project(id: $id) { id } }`, map[string]any{"id": projectID})
	assert.Empty(t, res.Errors, "the key still works: %s", res.Body)
	assert.Equal(t, 1, rowCounts(t, s)["users"], "no second user row")

	var stillValid struct{ Me struct{ ID string } }
	s.Query(t, first.Token, `{ me { id } }`, nil).Decode(t, &stillValid)
	assert.Equal(t, first.User.ID, stillValid.Me.ID, "the first token still names the same user")
}

func TestGitHubSignInStateCookie(t *testing.T) {
	s, _ := startSignIn(t, "")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	req, err := http.NewRequest(http.MethodGet, s.URL+"/auth/github", nil)
	require.NoError(t, err, "build request")
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err := client.Do(req)
	require.NoError(t, err, "GET /auth/github")
	res.Body.Close()

	require.Equal(t, http.StatusFound, res.StatusCode, "GET /auth/github redirects")
	location, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err, "parse Location")
	cookies := res.Cookies()
	require.Len(t, cookies, 1, "one cookie set")
	cookie := cookies[0]
	assert.Equal(t, signin.StateCookie, cookie.Name, "cookie name")
	state, verifier, found := strings.Cut(cookie.Value, ".")
	require.True(t, found, "the cookie joins the state and the code verifier with a dot: %q", cookie.Value)
	assert.Equal(t, location.Query().Get("state"), state, "the cookie contains the state sent to GitHub")
	assert.GreaterOrEqual(t, len(state), 43, "the state carries 32 random bytes")
	assert.Equal(t, oauth2.S256ChallengeFromVerifier(verifier), location.Query().Get("code_challenge"), "GitHub gets the verifier's S256 challenge")
	assert.Equal(t, "S256", location.Query().Get("code_challenge_method"), "challenge method")
	assert.True(t, cookie.HttpOnly, "the cookie is HttpOnly")
	assert.True(t, cookie.Secure, "the cookie is Secure behind HTTPS")
	assert.Equal(t, http.SameSiteLaxMode, cookie.SameSite, "the cookie is SameSite=Lax")
	assert.Positive(t, cookie.MaxAge, "the cookie is short-lived")
	assert.LessOrEqual(t, cookie.MaxAge, 600, "the cookie lives at most 10 minutes")
	assert.Equal(t, fakeClientID, location.Query().Get("client_id"), "client id sent to GitHub")
}

func TestGitHubSignInRejectsBadState(t *testing.T) {
	s, g := startSignIn(t, "")
	g.setUser(octocat("octocat@github.example", ""))

	// started returns a browser that went to /auth/github and holds the
	// state cookie, without following the redirect to GitHub.
	started := func(t *testing.T) *http.Client {
		client := browser(t)
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res, err := client.Get(s.URL + "/auth/github")
		require.NoError(t, err, "GET /auth/github")
		res.Body.Close()
		require.Equal(t, http.StatusFound, res.StatusCode, "GET /auth/github redirects")
		return client
	}

	cases := []struct {
		name   string
		client func(t *testing.T) *http.Client
		query  string
	}{
		{"wrong state", started, "code=code-1&state=not-the-state"},
		{"missing state", started, "code=code-1"},
		{"missing cookie", func(t *testing.T) *http.Client { return browser(t) }, "code=code-1&state=anything"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			result := get(t, c.client(t), s.URL+"/auth/github/callback?"+c.query)
			assert.Equal(t, http.StatusBadRequest, result.Status, "status: %s", result.Body)
			assert.Equal(t, "BAD_USER_INPUT", result.code(), "code: %s", result.Body)
			assert.Contains(t, string(result.Body), "start again at /auth/github", "the message says what to do")
			assert.Empty(t, result.Token, "no token for a bad state")
		})
	}
	assert.Zero(t, rowCounts(t, s)["users"], "no user created")
}

func TestGitHubSignInReportsGitHubErrors(t *testing.T) {
	cases := []struct {
		name    string
		set     func(g *fakeGitHub)
		path    string
		status  int
		code    string
		message string
	}{
		{
			name: "access denied", path: "/auth/github/callback?error=access_denied&error_description=The+user+has+denied+your+application+access.&state=x",
			status: http.StatusUnauthorized, code: "UNAUTHENTICATED", message: "access_denied",
		},
		{
			name: "token exchange fails", set: func(g *fakeGitHub) { g.tokenError = "bad_verification_code" }, path: "/auth/github",
			status: http.StatusBadGateway, code: "BAD_GATEWAY", message: "bad_verification_code",
		},
		{
			name: "user look-up fails", set: func(g *fakeGitHub) { g.userStatus = http.StatusInternalServerError }, path: "/auth/github",
			status: http.StatusBadGateway, code: "BAD_GATEWAY", message: "HTTP 500",
		},
		{
			name: "user without login", set: func(g *fakeGitHub) { g.user = map[string]any{"id": 7} }, path: "/auth/github",
			status: http.StatusBadGateway, code: "BAD_GATEWAY", message: "no valid id and login",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, g := startSignIn(t, "")
			g.setUser(octocat("octocat@github.example", ""))
			if c.set != nil {
				c.set(g)
			}

			result := get(t, browser(t), s.URL+c.path)
			assert.Equal(t, c.status, result.Status, "status: %s", result.Body)
			assert.Equal(t, c.code, result.code(), "code: %s", result.Body)
			assert.Contains(t, string(result.Body), c.message, "the message names GitHub's error")
			assert.NotContains(t, string(result.Body), fakeClientSecret, "the response never shows the client secret")
			assert.NotContains(t, string(result.Body), "goroutine", "the response never shows a stack")
			assert.Zero(t, rowCounts(t, s)["users"], "no user created")
		})
	}
}

func TestGitHubSignInEmail(t *testing.T) {
	noReply := "583231+octocat@users.noreply.github.com"
	cases := []struct {
		name         string
		profile      any
		emails       []map[string]any
		emailsStatus int
		want         string
	}{
		{name: "profile email", profile: "public@github.example", want: "public@github.example"},
		{
			name: "primary verified email", profile: nil,
			emails: []map[string]any{
				{"email": "other@github.example", "primary": false, "verified": true},
				{"email": "primary@github.example", "primary": true, "verified": true},
			},
			want: "primary@github.example",
		},
		{
			name: "no verified email", profile: "",
			emails: []map[string]any{{"email": "unverified@github.example", "primary": true, "verified": false}},
			want:   noReply,
		},
		{name: "no email at all", profile: nil, emails: []map[string]any{}, want: noReply},
		{name: "emails look-up fails", profile: nil, emailsStatus: http.StatusForbidden, want: noReply},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, g := startSignIn(t, "")
			g.setUser(octocat(c.profile, ""), c.emails...)
			g.emailsStatus = c.emailsStatus

			result := signIn(t, s)
			require.Equal(t, http.StatusOK, result.Status, "sign-in status: %s", result.Body)
			assert.Equal(t, c.want, result.User.Email, "stored email")
		})
	}
}

func TestGitHubSignInTakenUsernameAndEmail(t *testing.T) {
	s, g := startSignIn(t, "")
	local := s.UserID(t, "octocat")
	_, err := s.Store.WriteDB().ExecContext(context.Background(), "UPDATE users SET email = ? WHERE id = ?", "shared@github.example", local)
	require.NoError(t, err, "give the local user the email")

	g.setUser(octocat("shared@github.example", ""))
	result := signIn(t, s)
	require.Equal(t, http.StatusOK, result.Status, "sign-in status: %s", result.Body)
	assert.NotEqual(t, local, result.User.ID, "the GitHub account is not merged into the local user")
	assert.Equal(t, "octocat-583231", result.User.Username, "a taken login gets the GitHub id appended")
	assert.Equal(t, "583231+octocat@users.noreply.github.com", result.User.Email, "a taken email falls back to the no-reply address")

	require.NoError(t, s.Store.DeleteUser(context.Background(), local), "delete the local user")
	again := signIn(t, s)
	require.Equal(t, http.StatusOK, again.Status, "second sign-in: %s", again.Body)
	assert.Equal(t, result.User.ID, again.User.ID, "same user")
	assert.Equal(t, "octocat", again.User.Username, "the login is taken back once free")
	assert.Equal(t, "shared@github.example", again.User.Email, "the email is taken back once free")
}

func TestGitHubSignInRedirectsToFrontend(t *testing.T) {
	frontend := "https://app.example/signed-in?from=github#old"
	s, g := startSignIn(t, frontend)
	g.setUser(octocat("octocat@github.example", ""))

	client := browser(t)
	client.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host == "app.example" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	res, err := client.Get(s.URL + "/auth/github")
	require.NoError(t, err, "sign in")
	res.Body.Close()

	require.Equal(t, http.StatusFound, res.StatusCode, "the callback redirects to the front end")
	location := res.Header.Get("Location")
	base, fragment, ok := strings.Cut(location, "#")
	require.True(t, ok, "the Location has a fragment: %s", location)
	assert.Equal(t, "https://app.example/signed-in?from=github", base, "the front-end URL without its old fragment")
	require.True(t, strings.HasPrefix(fragment, "token="), "the fragment carries the token: %s", fragment)
	assert.NotContains(t, base, "token", "the token is never in the query, which browsers send to servers")

	token, err := url.QueryUnescape(strings.TrimPrefix(fragment, "token="))
	require.NoError(t, err, "unescape token")
	var me struct{ Me struct{ Username string } }
	s.Query(t, token, `{ me { username } }`, nil).Decode(t, &me)
	assert.Equal(t, "octocat", me.Me.Username, "the fragment's token signs in")
}

func TestGitHubSignInOffWithoutClientID(t *testing.T) {
	s := testserver.Start(t)

	for _, path := range []string{"/auth/github", "/auth/github/callback?code=x&state=y"} {
		result := get(t, browser(t), s.URL+path)
		assert.Equal(t, http.StatusServiceUnavailable, result.Status, "GET %s: %s", path, result.Body)
		assert.Equal(t, "SIGN_IN_DISABLED", result.code(), "GET %s code", path)
		assert.Contains(t, string(result.Body), "ORQUESTRA_GITHUB_CLIENT_ID", "GET %s names the variable to set", path)
	}
}

// A code is useless without the verifier from the browser's own
// cookie, so a stolen code or a forged cookie cannot finish a sign-in.
func TestGitHubSignInChecksPKCEVerifier(t *testing.T) {
	s, g := startSignIn(t, "")
	g.setUser(octocat("octocat@github.example", ""))
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	start, err := noRedirect.Get(s.URL + "/auth/github")
	require.NoError(t, err, "GET /auth/github")
	start.Body.Close()
	require.Len(t, start.Cookies(), 1, "state cookie set")
	state, _, found := strings.Cut(start.Cookies()[0].Value, ".")
	require.True(t, found, "cookie has a verifier")

	authorized, err := noRedirect.Get(start.Header.Get("Location"))
	require.NoError(t, err, "GET GitHub's authorize URL")
	authorized.Body.Close()
	callback := authorized.Header.Get("Location")
	require.Contains(t, callback, "code=", "GitHub redirects back with a code")

	req, err := http.NewRequest(http.MethodGet, callback, nil)
	require.NoError(t, err, "build callback request")
	req.AddCookie(&http.Cookie{Name: signin.StateCookie, Value: state + "." + oauth2.GenerateVerifier()})
	res, err := noRedirect.Do(req)
	require.NoError(t, err, "GET callback")
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err, "read callback response")

	assert.Equal(t, http.StatusBadGateway, res.StatusCode, "status: %s", body)
	assert.Contains(t, string(body), "invalid_grant", "the message names GitHub's error")
	assert.Zero(t, rowCounts(t, s)["users"], "no user created")
}
