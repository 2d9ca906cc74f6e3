package signin

import (
	"fmt"
	"net/url"
)

// Validate checks that a client id comes with its secret and that every URL
// is an absolute http or https URL.
func (c Config) Validate() error {
	if c.ClientID != "" && c.ClientSecret == "" {
		return fmt.Errorf("github-client-id is set but github-client-secret is empty: set ORQUESTRA_GITHUB_CLIENT_SECRET to the OAuth app's client secret")
	}

	urls := []struct{ flag, value string }{
		{"github-auth-url", c.AuthURL},
		{"github-token-url", c.TokenURL},
		{"github-api-url", c.APIURL},
		{"frontend-url", c.FrontendURL},
	}
	for _, u := range urls {
		if u.value == "" {
			continue
		}
		parsed, err := url.Parse(u.value)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			return fmt.Errorf("invalid %s %q: give an absolute http:// or https:// URL", u.flag, u.value)
		}
	}

	return nil
}
