package signin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/storage"
)

// gitHubError is a failure on GitHub's side, sent to the client with
// status 502. The client sees message, and only the log gets cause.
type gitHubError struct {
	message string
	cause   error
}

func (e *gitHubError) Error() string {
	return e.message
}

// gitHubUser is the part of GitHub's GET /user response that sign-in uses.
type gitHubUser struct {
	ID        int64   `json:"id"`
	Login     string  `json:"login"`
	Email     *string `json:"email"`
	AvatarURL string  `json:"avatar_url"`
}

// gitHubEmail is one entry of GitHub's GET /user/emails response.
type gitHubEmail struct {
	Email    string `json:"email"`
	Primary  bool   `json:"primary"`
	Verified bool   `json:"verified"`
}

// NoReplyEmail returns GitHub's no-reply address of an account, used as the
// email of users who share no verified address.
func NoReplyEmail(id int64, login string) string {
	return fmt.Sprintf("%d+%s@users.noreply.github.com", id, login)
}

// profile exchanges the code and its PKCE verifier for a GitHub token and
// reads the account.
func (g *GitHub) profile(ctx context.Context, code, verifier string) (storage.GitHubProfile, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, g.client)
	token, err := g.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return storage.GitHubProfile{}, exchangeError(err)
	}

	var user gitHubUser
	if err := g.get(ctx, token, "/user", &user); err != nil {
		return storage.GitHubProfile{}, err
	}
	if user.ID <= 0 || !auth.ValidUsername(user.Login) {
		return storage.GitHubProfile{}, &gitHubError{
			message: "GitHub's /user response has no valid id and login: try again later",
			cause:   fmt.Errorf("GitHub /user returned id %d and login %q", user.ID, user.Login),
		}
	}

	noReply := NoReplyEmail(user.ID, user.Login)
	profile := storage.GitHubProfile{ID: user.ID, Login: user.Login, AvatarURL: safeAvatar(user.AvatarURL), FallbackEmail: noReply}
	switch {
	case user.Email != nil && *user.Email != "":
		profile.Email = *user.Email
	default:
		profile.Email = g.primaryEmail(ctx, token, user.Login)
		if profile.Email == "" {
			profile.Email = noReply
		}
	}

	return profile, nil
}

// primaryEmail returns the account's primary verified email, or "" when it
// has none. A failing look-up is logged and also returns "", because the
// no-reply address is a valid email for every account.
func (g *GitHub) primaryEmail(ctx context.Context, token *oauth2.Token, login string) string {
	var emails []gitHubEmail
	if err := g.get(ctx, token, "/user/emails", &emails); err != nil {
		g.log.WarnContext(ctx, "read GitHub emails: using the no-reply address", "login", login, "err", err)
		return ""
	}

	for _, e := range emails {
		if e.Primary && e.Verified && e.Email != "" {
			return e.Email
		}
	}

	return ""
}

// get reads one GitHub API resource as JSON into v.
func (g *GitHub) get(ctx context.Context, token *oauth2.Token, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.apiURL+path, nil)
	if err != nil {
		return fmt.Errorf("build GitHub request %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	token.SetAuthHeader(req)

	res, err := g.client.Do(req)
	if err != nil {
		return &gitHubError{message: "could not reach GitHub's API to read " + path + ": try again later", cause: err}
	}
	defer res.Body.Close()

	if res.StatusCode != http.StatusOK {
		return &gitHubError{
			message: fmt.Sprintf("GitHub's API responded to GET %s with HTTP %d: try again later", path, res.StatusCode),
			cause:   fmt.Errorf("GitHub GET %s: HTTP %d", path, res.StatusCode),
		}
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, maxGitHubBody)).Decode(v); err != nil {
		return &gitHubError{message: "GitHub's API responded to GET " + path + " with invalid JSON: try again later", cause: err}
	}

	return nil
}

// exchangeError describes a failed code exchange with GitHub's own error
// code and description, never with the response body.
func exchangeError(err error) error {
	var retrieve *oauth2.RetrieveError
	if !errors.As(err, &retrieve) {
		return &gitHubError{message: "could not reach GitHub's token endpoint: try again later", cause: err}
	}

	if retrieve.ErrorCode != "" {
		message := "GitHub rejected the authorization code: " + retrieve.ErrorCode
		if retrieve.ErrorDescription != "" {
			message += " (" + retrieve.ErrorDescription + ")"
		}
		return &gitHubError{message: message + ": start again at /auth/github", cause: err}
	}

	status := 0
	if retrieve.Response != nil {
		status = retrieve.Response.StatusCode
	}
	return &gitHubError{
		message: fmt.Sprintf("GitHub's token endpoint responded with HTTP %d: check the client id and secret, then start again at /auth/github", status),
		cause:   err,
	}
}

// safeAvatar keeps an avatar URL only when it is an https URL, so that a
// front end that shows it cannot be handed a javascript: or data: link.
func safeAvatar(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return ""
	}

	return u.String()
}
