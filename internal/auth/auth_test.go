package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

func TestCheckAPIKeyExpiry(t *testing.T) {
	key, hash, prefix, err := NewAPIKey()
	require.NoError(t, err, "NewAPIKey")
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	at := func(d time.Duration) *time.Time {
		t := now.Add(d)
		return &t
	}

	cases := []struct {
		name    string
		expires *time.Time
		hash    string
		valid   bool
	}{
		{"no expiry", nil, hash, true},
		{"expires a nanosecond later", at(time.Nanosecond), hash, true},
		{"expires at this instant", at(0), hash, false},
		{"expired a second ago", at(-time.Second), hash, false},
		{"other hash", nil, HashAPIKey(key + "x"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			row := &models.APIKey{KeyHash: hash, Prefix: prefix, ExpiresAt: c.expires}
			err := CheckAPIKey(row, c.hash, now)
			if c.valid {
				assert.NoError(t, err, "CheckAPIKey")
				return
			}
			assert.True(t, apperr.Is(err, apperr.Unauthenticated), "CheckAPIKey returns UNAUTHENTICATED, got %v", err)
		})
	}
}

func TestNewAPIKeyShape(t *testing.T) {
	key, hash, prefix, err := NewAPIKey()
	require.NoError(t, err, "NewAPIKey")

	assert.True(t, strings.HasPrefix(key, APIKeyPrefix), "key starts with %s: %s", APIKeyPrefix, key)
	assert.True(t, strings.HasPrefix(key, prefix), "prefix is the key's start")
	assert.Len(t, prefix, len(APIKeyPrefix)+4, "prefix length")
	assert.Equal(t, HashAPIKey(key), hash, "hash is the key's SHA-256")
	assert.NotContains(t, hash, key[len(prefix):], "hash does not contain the key")
}

func TestAuthorize(t *testing.T) {
	owner := &models.User{ID: "owner"}
	other := &models.User{ID: "other"}
	private := Resource{ProjectID: "p1", OwnerID: "owner"}
	public := Resource{ProjectID: "p1", OwnerID: "owner", IsPublic: true}

	cases := []struct {
		name   string
		id     Identity
		action Action
		res    Resource
		want   apperr.Kind
	}{
		{"owner edits", Identity{User: owner}, ActionEditProject, private, ""},
		{"other user edits private", Identity{User: other}, ActionEditProject, private, apperr.NotFound},
		{"other user edits public", Identity{User: other}, ActionEditProject, public, apperr.Forbidden},
		{"anonymous edits", Identity{}, ActionEditProject, public, apperr.Unauthenticated},
		{"anonymous publishes", Identity{}, ActionPublish, public, apperr.Unauthenticated},
		{"key publishes to its project", Identity{KeyProjectID: "p1"}, ActionPublish, private, ""},
		{"key publishes elsewhere", Identity{KeyProjectID: "p2"}, ActionPublish, private, apperr.Forbidden},
		{"key edits its project", Identity{KeyProjectID: "p1"}, ActionEditProject, private, apperr.Forbidden},
		{"key creates a project", Identity{KeyProjectID: "p1"}, ActionCreateProject, Resource{}, apperr.Forbidden},
		{"key manages keys", Identity{KeyProjectID: "p1"}, ActionManageKeys, private, apperr.Forbidden},
		{"key lists keys", Identity{KeyProjectID: "p1"}, ActionListKeys, private, apperr.Forbidden},
		{"key reads its private project", Identity{KeyProjectID: "p1"}, ActionReadProject, private, ""},
		{"key reads another private project", Identity{KeyProjectID: "p2"}, ActionReadProject, private, apperr.Forbidden},
		{"key reads a public project", Identity{KeyProjectID: "p2"}, ActionReadProject, public, ""},
		{"anonymous reads public", Identity{}, ActionReadProject, public, ""},
		{"anonymous reads private", Identity{}, ActionReadProject, private, apperr.Forbidden},
		{"anonymous lists keys", Identity{}, ActionListKeys, public, apperr.Forbidden},
		{"user creates a project", Identity{User: other}, ActionCreateProject, Resource{}, ""},
		{"user reads own email", Identity{User: owner}, ActionReadEmail, UserResource(owner), ""},
		{"user reads other email", Identity{User: other}, ActionReadEmail, UserResource(owner), apperr.Forbidden},
		{"key reads email", Identity{KeyProjectID: "p1"}, ActionReadEmail, UserResource(owner), apperr.Forbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Authorize(NewContext(context.Background(), c.id), c.action, c.res)
			if c.want == "" {
				assert.NoError(t, err, "Authorize")
				return
			}
			assert.True(t, apperr.Is(err, c.want), "Authorize returns %s, got %v", c.want, err)
		})
	}
}

func TestAuthorizeProjectIDRejectsKeyElsewhere(t *testing.T) {
	ctx := NewContext(context.Background(), Identity{KeyProjectID: "p1"})

	assert.NoError(t, AuthorizeProjectID(ctx, ActionPublish, "p1"), "a key publishes to its own project")
	assert.True(t, apperr.Is(AuthorizeProjectID(ctx, ActionPublish, "p2"), apperr.Forbidden), "a key publishes to another project")
	assert.True(t, apperr.Is(AuthorizeProjectID(ctx, ActionEditProject, "p1"), apperr.Forbidden), "a key edits its project")
	assert.True(t, apperr.Is(AuthorizeProjectID(context.Background(), ActionEditProject, "p1"), apperr.Unauthenticated), "anonymous edits")
}

func TestEveryActionHasRule(t *testing.T) {
	actions := []Action{ActionReadProject, ActionReadEmail, ActionListKeys, ActionCreateProject, ActionPublish, ActionEditProject, ActionDeleteProject, ActionManageKeys}
	for _, action := range actions {
		_, ok := Rules[action]
		assert.True(t, ok, "action %q has a rule", action)
	}

	err := Authorize(context.Background(), Action("launch"), Resource{})
	assert.Error(t, err, "an action without a rule is an error")
	assert.False(t, apperr.Is(err, apperr.Forbidden), "an action without a rule is an internal error, not a denial")
}

func TestTokensVerify(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	tokens, err := NewTokens(secret, time.Hour)
	require.NoError(t, err, "NewTokens")
	valid, err := tokens.Issue("user-1")
	require.NoError(t, err, "Issue")

	sign := func(claims jwt.RegisteredClaims, key []byte) string {
		token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
		require.NoError(t, err, "sign")
		return token
	}
	now := time.Now()
	expired := sign(jwt.RegisteredClaims{Subject: "user-1", Issuer: Issuer, ExpiresAt: jwt.NewNumericDate(now.Add(-time.Minute))}, secret)
	otherKey := sign(jwt.RegisteredClaims{Subject: "user-1", Issuer: Issuer, ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}, []byte(strings.Repeat("o", 32)))
	otherIssuer := sign(jwt.RegisteredClaims{Subject: "user-1", Issuer: "someone", ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}, secret)
	noExpiry := sign(jwt.RegisteredClaims{Subject: "user-1", Issuer: Issuer}, secret)
	unsigned, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.RegisteredClaims{Subject: "user-1", Issuer: Issuer, ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}).
		SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err, "sign with none")

	subject, err := tokens.Verify(valid)
	require.NoError(t, err, "Verify a fresh token")
	assert.Equal(t, "user-1", subject, "subject")

	for name, token := range map[string]string{"expired": expired, "other secret": otherKey, "other issuer": otherIssuer, "no expiry": noExpiry, "alg none": unsigned} {
		_, err := tokens.Verify(token)
		assert.Error(t, err, "Verify rejects a token with %s", name)
	}
}
