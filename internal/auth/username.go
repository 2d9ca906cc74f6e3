package auth

import "regexp"

// usernamePattern follows GitHub's rule for logins: letters, digits and
// single hyphens, 1 to 39 characters, not starting with a hyphen.
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)

// ValidUsername reports whether name can be a username.
func ValidUsername(name string) bool {
	return usernamePattern.MatchString(name)
}
