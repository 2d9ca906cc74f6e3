package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// IdentifyPayload authenticates a WebSocket connection from its
// connection_init payload, which carries {"Authorization": "Bearer <JWT>"}
// or {"X-API-Key": "<key>"}; the keys are matched without regard to case,
// as HTTP header names are. An empty payload is an anonymous caller.
func IdentifyPayload(ctx context.Context, tokens *Tokens, store Store, log *slog.Logger, payload map[string]any) (Identity, error) {
	var bearer string
	var keys []string
	sentKey := false

	for name, value := range payload {
		text, ok := value.(string)
		switch strings.ToLower(name) {
		case "authorization":
			if !ok {
				return Identity{}, fmt.Errorf("the Authorization value of connection_init must be a string")
			}
			bearer = text
		case strings.ToLower(APIKeyHeader):
			if !ok {
				return Identity{}, fmt.Errorf("the X-API-Key value of connection_init must be a string")
			}
			keys = append(keys, text)
			sentKey = true
		}
	}

	if bearer == "" && !sentKey {
		return Identity{}, nil
	}

	return identify(ctx, tokens, store, log, bearer, keys, sentKey)
}
