package idl

import (
	"crypto/sha256"
	"strings"
	"unicode"
)

// InstructionDiscriminator computes the 8-byte discriminator Anchor gives an
// instruction: the first 8 bytes of SHA-256 of "global:" followed by the
// snake_case form of its name.
func InstructionDiscriminator(name string) []int {
	return anchorHash("global:" + SnakeCase(name))
}

// AccountDiscriminator computes the 8-byte discriminator Anchor gives an
// account type: the first 8 bytes of SHA-256 of "account:" followed by the
// name as written.
func AccountDiscriminator(name string) []int {
	return anchorHash("account:" + name)
}

// EventDiscriminator computes the 8-byte discriminator Anchor gives an
// event: the first 8 bytes of SHA-256 of "event:" followed by the name as
// written.
func EventDiscriminator(name string) []int {
	return anchorHash("event:" + name)
}

func anchorHash(preimage string) []int {
	sum := sha256.Sum256([]byte(preimage))
	return bytesToInts(sum[:8])
}

func bytesToInts(data []byte) []int {
	out := make([]int, len(data))
	for i, b := range data {
		out[i] = int(b)
	}

	return out
}

// SnakeCase converts an identifier the way the Rust heck crate does, which
// Anchor uses for instruction names. Words break at characters that are
// not letters or digits, and between a lower-case letter (or a digit after
// one) and an upper-case letter. An upper-case run followed by a
// lower-case letter breaks before its last capital. So "setAuthority"
// becomes "set_authority", "ABCDef" becomes "abc_def" and "initialize2"
// stays as it is.
func SnakeCase(name string) string {
	var words []string
	for _, part := range strings.FieldsFunc(name, isSeparator) {
		words = append(words, splitWords([]rune(part))...)
	}

	return strings.ToLower(strings.Join(words, "_"))
}

func isSeparator(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsNumber(r)
}

type letterCase int

const (
	caseNone letterCase = iota
	caseLower
	caseUpper
)

// splitWords splits one run of letters and digits into words. A digit keeps
// the case of the letter before it, as in heck.
func splitWords(part []rune) []string {
	var words []string
	start := 0
	mode := caseNone

	for i := 0; i+1 < len(part); i++ {
		current, next := part[i], part[i+1]
		nextMode := mode
		if unicode.IsLower(current) {
			nextMode = caseLower
		} else if unicode.IsUpper(current) {
			nextMode = caseUpper
		}

		switch {
		case nextMode == caseLower && unicode.IsUpper(next):
			words = append(words, string(part[start:i+1]))
			start, mode = i+1, caseNone
		case mode == caseUpper && unicode.IsUpper(current) && unicode.IsLower(next):
			words = append(words, string(part[start:i]))
			start, mode = i, caseNone
		default:
			mode = nextMode
		}
	}

	return append(words, string(part[start:]))
}

// maxDiscriminatorLen bounds explicit discriminators. Anchor's default is 8
// bytes and 0.31 allows shorter custom ones.
//
// NOTE: Anchor sets no upper bound on custom discriminators; 32 bytes is
// this server's limit, far above any published IDL.
const maxDiscriminatorLen = 32

// readDiscriminator reads an explicit discriminator. An instruction's must
// have at least one byte. An account's or event's may be empty, as in IDLs
// that describe accounts another program owns.
func readDiscriminator(c *checker, raw any, path string, instruction bool) []int {
	if raw == nil {
		return nil
	}

	items, ok := raw.([]any)
	if !ok {
		c.fail(path, "a discriminator must be an array of byte values from 0 to 255, got %s", describe(raw))
		return nil
	}

	data := readBytes(c, items, path, "a discriminator")
	switch {
	case instruction && len(items) == 0:
		c.fail(path, "empty: an instruction discriminator needs at least one byte")
	case len(items) > maxDiscriminatorLen:
		c.fail(path, "a discriminator of %d bytes is too long: use at most %d (Anchor's default is 8)", len(items), maxDiscriminatorLen)
	}

	return bytesToInts(data)
}

// checkDiscriminatorPrefixes rejects explicit instruction discriminators
// that equal or start with another's, because the program dispatches on
// the leading bytes and could not tell the two apart.
func checkDiscriminatorPrefixes(c *checker, section string, instructions []Instruction) {
	for j := range instructions {
		later := instructions[j]
		if later.DiscriminatorComputed || len(later.Discriminator) == 0 {
			continue
		}

		for i := range j {
			earlier := instructions[i]
			if earlier.DiscriminatorComputed || len(earlier.Discriminator) == 0 || !sharesPrefix(earlier.Discriminator, later.Discriminator) {
				continue
			}

			c.fail(joinPath(indexPath(section, j), "discriminator"), "instruction %q has a discriminator that equals or overlaps the one of %q (%s): give each instruction distinct leading bytes", later.Name, earlier.Name, indexPath(section, i))
			break
		}
	}
}

func sharesPrefix(a, b []int) bool {
	n := min(len(a), len(b))
	for k := range n {
		if a[k] != b[k] {
			return false
		}
	}

	return true
}
