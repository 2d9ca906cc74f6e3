// Package input checks and normalises what users type: project names,
// descriptions, Solana addresses, labels and social links. Each function
// returns the value to store or a BAD_USER_INPUT error naming the field,
// the value and the rule.
package input

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mr-tron/base58"

	"github.com/orquestra/orquestra/internal/apperr"
)

// Limits on text fields, in characters.
const (
	MaxNameLength        = 100
	MaxDescriptionLength = 2000
	MaxLabelLength       = 100
	MaxKeyNameLength     = 100
)

// ProjectName trims a project name and checks it is 1 to 100 characters
// with no control characters.
func ProjectName(field, name string) (string, error) {
	return shortText(field, "project name", name, MaxNameLength)
}

// Label trims a known-address label and checks it is 1 to 100 characters
// with no control characters.
func Label(field, label string) (string, error) {
	return shortText(field, "label", label, MaxLabelLength)
}

// KeyName trims an API key name and checks it is 1 to 100 characters with
// no control characters.
func KeyName(field, name string) (string, error) {
	return shortText(field, "API key name", name, MaxKeyNameLength)
}

func shortText(field, what, value string, maxLength int) (string, error) {
	value = strings.TrimSpace(value)

	n := utf8.RuneCountInString(value)
	if n == 0 {
		return "", apperr.Field(field, "the %s is empty: give 1 to %d characters", what, maxLength)
	}
	if n > maxLength {
		return "", apperr.Field(field, "the %s is %d characters long: shorten it to at most %d", what, n, maxLength)
	}
	if i := strings.IndexFunc(value, Invisible); i >= 0 {
		return "", apperr.Field(field, "the %s %q contains the invisible character %U: remove it", what, value, []rune(value[i:])[0])
	}

	return value, nil
}

// Description trims a description and checks it is at most 2,000 characters.
// Line breaks and tabs are allowed; other control characters are not.
func Description(field, description string) (string, error) {
	description = strings.TrimSpace(description)

	if n := utf8.RuneCountInString(description); n > MaxDescriptionLength {
		return "", apperr.Field(field, "the description is %d characters long: shorten it to at most %d", n, MaxDescriptionLength)
	}
	for _, r := range description {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "", apperr.Field(field, "the description contains the control character %U: remove it", r)
		}
	}

	return description, nil
}

// MaxSearchLength caps a project search, in characters. SQLite rejects LIKE
// patterns of more than 50,000 bytes by default, so a long search must be
// refused as bad input before it reaches the database.
const MaxSearchLength = 200

// Search trims a project search and checks its length.
func Search(field, search string) (string, error) {
	search = strings.TrimSpace(search)
	if n := utf8.RuneCountInString(search); n > MaxSearchLength {
		return "", apperr.Field(field, "the search is %d characters long: shorten it to at most %d", n, MaxSearchLength)
	}

	return search, nil
}

// Address checks that a Solana address or program id is base58 that decodes
// to exactly 32 bytes, and returns it trimmed.
func Address(field, address string) (string, error) {
	address = strings.TrimSpace(address)
	if address == "" {
		return "", apperr.Field(field, "the address is empty: give a base58 Solana address such as 11111111111111111111111111111111")
	}

	decoded, err := base58.Decode(address)
	if err != nil {
		return "", apperr.Field(field, "%q is not base58: a Solana address uses the characters 1-9, A-H, J-N, P-Z and a-k, m-z", address)
	}
	if len(decoded) != 32 {
		return "", apperr.Field(field, "%q decodes to %d bytes: a Solana address is 32 bytes (32 to 44 base58 characters)", address, len(decoded))
	}

	return address, nil
}

// Invisible reports control characters and format characters such as
// right-to-left overrides and zero-width spaces, which make a name display
// differently from what it is.
func Invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}
