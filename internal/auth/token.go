package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Issuer is the iss claim of every session token.
const Issuer = "orquestra"

// DefaultTokenTTL is how long a session token stays valid.
const DefaultTokenTTL = 7 * 24 * time.Hour

// Tokens issues and verifies session JWTs (HS256).
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens returns a token issuer with the given signing secret and lifetime.
func NewTokens(secret []byte, ttl time.Duration) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("JWT secret is %d bytes: use at least 32 bytes", len(secret))
	}
	if ttl <= 0 {
		ttl = DefaultTokenTTL
	}

	return &Tokens{secret: secret, ttl: ttl, now: time.Now}, nil
}

// GenerateSecret returns a random signing secret in hex.
func GenerateSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}

	return hex.EncodeToString(b), nil
}

// Issue returns a signed token for the user.
func (t *Tokens) Issue(userID string) (string, error) {
	now := t.now()
	claims := jwt.RegisteredClaims{
		Subject:   userID,
		Issuer:    Issuer,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
	}

	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
}

// Verify checks a token's signature, algorithm, issuer and expiry, and
// returns the user id it was issued for.
func (t *Tokens) Verify(token string) (string, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return "", describe(err)
	}
	if claims.Subject == "" {
		return "", errors.New("the token names no user")
	}

	return claims.Subject, nil
}

func describe(err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return errors.New("the token has expired")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return errors.New("the token's signature is invalid")
	case errors.Is(err, jwt.ErrTokenMalformed):
		return errors.New("the token is malformed")
	default:
		return errors.New("the token is invalid")
	}
}
