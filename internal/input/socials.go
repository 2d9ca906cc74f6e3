package input

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/orquestra/orquestra/internal/apperr"
)

// MaxURLLength caps a social link.
const MaxURLLength = 2048

// A social network's rule: which hosts its links may point at, and which
// bare handles stand for a link.
type network struct {
	name     string
	hosts    []string
	handle   *regexp.Regexp
	linkBase string
}

var (
	twitter = network{
		name:     "twitter",
		hosts:    []string{"twitter.com", "x.com"},
		handle:   regexp.MustCompile(`^@?([A-Za-z0-9_]{1,15})$`),
		linkBase: "https://x.com/",
	}
	telegram = network{
		name:     "telegram",
		hosts:    []string{"t.me", "telegram.me"},
		handle:   regexp.MustCompile(`^@?([A-Za-z0-9_]{5,32})$`),
		linkBase: "https://t.me/",
	}
	github = network{
		name:     "github",
		hosts:    []string{"github.com"},
		handle:   regexp.MustCompile(`^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$`),
		linkBase: "https://github.com/",
	}
	discord = network{
		name:  "discord",
		hosts: []string{"discord.gg", "discord.com"},
	}
	website = network{name: "website"}
)

// Twitter returns the canonical URL of a Twitter/X handle or link.
func Twitter(field, value string) (string, error) { return twitter.link(field, value) }

// Telegram returns the canonical URL of a Telegram handle or link.
func Telegram(field, value string) (string, error) { return telegram.link(field, value) }

// GitHub returns the canonical URL of a GitHub user, organisation or link.
func GitHub(field, value string) (string, error) { return github.link(field, value) }

// Discord returns the canonical URL of a Discord invite link.
func Discord(field, value string) (string, error) { return discord.link(field, value) }

// Website returns the canonical form of an https URL.
func Website(field, value string) (string, error) { return website.link(field, value) }

func (n network) link(field, value string) (string, error) {
	value = strings.TrimSpace(value)

	if n.handle != nil {
		if m := n.handle.FindStringSubmatch(value); m != nil {
			return n.linkBase + m[1], nil
		}
	}

	u, err := HTTPSURL(field, value)
	if err != nil {
		if n.handle != nil {
			return "", apperr.Field(field, "%q is neither a %s handle nor an https URL: give a handle such as @name or a link such as %sname", value, n.name, n.linkBase)
		}
		return "", err
	}

	if len(n.hosts) > 0 && !hostAllowed(u.Hostname(), n.hosts) {
		return "", apperr.Field(field, "%q is not a %s link: use an https URL on %s", value, n.name, strings.Join(n.hosts, " or "))
	}

	return u.String(), nil
}

func hostAllowed(host string, hosts []string) bool {
	host = strings.ToLower(host)
	for _, h := range hosts {
		if host == h || host == "www."+h {
			return true
		}
	}

	return false
}

// HTTPSURL parses an absolute https URL with a host and no user name or
// password, at most 2,048 characters long.
func HTTPSURL(field, value string) (*url.URL, error) {
	if len(value) > MaxURLLength {
		return nil, apperr.Field(field, "the URL is %d characters long: shorten it to at most %d", len(value), MaxURLLength)
	}

	u, err := url.Parse(value)
	if err != nil || u.Scheme == "" {
		return nil, apperr.Field(field, "%q is not a URL: give an absolute https URL such as https://example.com", value)
	}
	if !strings.EqualFold(u.Scheme, "https") {
		return nil, apperr.Field(field, "%q uses the %s scheme: only https URLs are accepted", value, describeScheme(u.Scheme))
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, apperr.Field(field, "%q has no host: give an absolute https URL such as https://example.com", value)
	}
	if u.User != nil {
		return nil, apperr.Field(field, "%q contains a user name or password: remove it", value)
	}
	for _, r := range u.Hostname() {
		if r > unicode.MaxASCII {
			return nil, apperr.Field(field, "the host of %q is not ASCII: write an internationalised domain in its xn-- (punycode) form", value)
		}
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, apperr.Field(field, "the port of %q is %s: give a port from 1 to 65535, or none", value, port)
		}
	}

	u.Scheme = "https"
	u.Host = strings.ToLower(u.Host)
	return u, nil
}

func describeScheme(scheme string) string {
	return fmt.Sprintf("%q", strings.ToLower(scheme))
}
