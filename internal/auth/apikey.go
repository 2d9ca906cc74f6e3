package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"time"

	"github.com/mr-tron/base58"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// APIKeyPrefix starts every API key, so that keys are easy to recognise in
// configuration and by secret scanners.
const APIKeyPrefix = "orq_"

// apiKeyEntropy is the number of random bytes in a key.
const apiKeyEntropy = 32

// displayPrefixLength is how many characters of a key are kept for display.
const displayPrefixLength = len(APIKeyPrefix) + 4

// NewAPIKey returns a new random key, the SHA-256 hash to store in its place
// and the short prefix to show.
func NewAPIKey() (key, hash, prefix string, err error) {
	b := make([]byte, apiKeyEntropy)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", err
	}

	key = APIKeyPrefix + base58.Encode(b)
	return key, HashAPIKey(key), key[:displayPrefixLength], nil
}

// HashAPIKey returns the lower-case hex SHA-256 of a key. Keys carry 256
// random bits, so an unsalted hash is enough to make a stolen table useless.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CheckAPIKey checks a stored key found by the hash of the key a request
// sent. The hashes are compared in constant time although the lookup
// already matched them, so that no code path compares secrets with ==. A key
// whose expiry is at or before now is expired.
func CheckAPIKey(row *models.APIKey, hash string, now time.Time) error {
	if subtle.ConstantTimeCompare([]byte(hash), []byte(row.KeyHash)) != 1 {
		return apperr.New(apperr.Unauthenticated, "invalid API key %s: it is unknown, revoked or rotated", row.Prefix)
	}
	if row.ExpiresAt != nil && !now.Before(*row.ExpiresAt) {
		return apperr.New(apperr.Unauthenticated, "API key %s expired at %s: create a new key", row.Prefix, row.ExpiresAt.UTC().Format(time.RFC3339))
	}

	return nil
}

// displayPrefix returns the part of a key that may be shown in messages and
// logs: the same characters the prefix column keeps.
func displayPrefix(key string) string {
	if len(key) <= displayPrefixLength {
		return "(too short to be a key)"
	}

	return key[:displayPrefixLength] + "..."
}
