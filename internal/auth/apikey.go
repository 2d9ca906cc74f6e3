package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"

	"github.com/mr-tron/base58"
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
