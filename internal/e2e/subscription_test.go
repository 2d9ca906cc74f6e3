package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/testserver"
)

const publishedSubscription = `subscription($id: ID!) { idlVersionPublished(projectId: $id) { version project { name } } }`

type publishedEvent struct {
	Data struct {
		IdlVersionPublished struct {
			Version int
			Project struct{ Name string }
		}
	}
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func decodeEvent(t *testing.T, m *testserver.Message) publishedEvent {
	t.Helper()

	require.NotNil(t, m, "a message arrived")
	var e publishedEvent
	require.NoError(t, json.Unmarshal(m.Payload, &e), "decode %s", m.Payload)
	return e
}

func TestSubscriptionRespectsVisibility(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	privateID := createProject(t, s, owner, "secret program", smallIDL(t), false)
	vars := map[string]any{"id": privateID}

	ownerSub, err := testserver.Subscribe(ctx, s.URL, map[string]any{"Authorization": "Bearer " + owner}, publishedSubscription, vars)
	require.NoError(t, err, "the owner subscribes")
	defer ownerSub.Close()

	anonymous, err := testserver.Subscribe(ctx, s.URL, map[string]any{}, publishedSubscription, vars)
	require.NoError(t, err, "an anonymous caller may connect")
	defer anonymous.Close()

	first, err := anonymous.Next(ctx)
	require.NoError(t, err, "read the anonymous subscription's answer")
	rejected := decodeEvent(t, first)
	require.NotEmpty(t, rejected.Errors, "a private project is not found for an anonymous subscriber: %s", first.Payload)
	assert.Equal(t, "NOT_FOUND", rejected.Errors[0].Extensions["code"], "the same answer as for a missing project")
	assert.Zero(t, rejected.Data.IdlVersionPublished.Version, "no version in the answer")

	done, err := anonymous.Next(ctx)
	require.NoError(t, err, "read the end of the anonymous subscription")
	assert.Equal(t, "complete", done.Type, "the rejected subscription ends")

	next, err := ownerSub.NextAfter(ctx, func(attempt int) {
		body := string(smallIDL(t)) + strings.Repeat(" ", attempt+1)
		res := s.Query(t, owner, publishMutation, map[string]any{"input": map[string]any{"projectId": privateID, "idlJson": body}})
		require.Empty(t, res.Errors, "publish: %s", res.Body)
	})
	require.NoError(t, err, "the owner receives the version")
	require.Equal(t, "next", next.Type, "message type: %s", next.Payload)
	event := decodeEvent(t, next)
	assert.GreaterOrEqual(t, event.Data.IdlVersionPublished.Version, 2, "a published version")
	assert.Equal(t, "secret program", event.Data.IdlVersionPublished.Project.Name, "its project")

	late, err := anonymous.NextWithin(ctx, 300*time.Millisecond)
	require.NoError(t, err, "read the anonymous connection")
	assert.Nil(t, late, "the anonymous subscriber receives nothing")
}

func TestSubscriptionWithAPIKeyAndBadToken(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.Start(t)
	owner := s.Token(t, "owner")
	privateID := createProject(t, s, owner, "keyed", smallIDL(t), false)

	var created struct{ CreateApiKey struct{ Key string } }
	s.Query(t, owner, `mutation($id: ID!) { createApiKey(input: {projectId: $id, name: "ci"}) { key } }`, map[string]any{"id": privateID}).Decode(t, &created)

	keySub, err := testserver.Subscribe(ctx, s.URL, map[string]any{"x-api-key": created.CreateApiKey.Key}, publishedSubscription, map[string]any{"id": privateID})
	require.NoError(t, err, "a project's key subscribes, the payload key matched without regard to case")
	defer keySub.Close()

	next, err := keySub.NextAfter(ctx, func(attempt int) {
		body := string(smallIDL(t)) + strings.Repeat(" ", attempt+1)
		res := s.QueryAs(t, testserver.Credentials{APIKey: created.CreateApiKey.Key}, publishMutation,
			map[string]any{"input": map[string]any{"projectId": privateID, "idlJson": body}})
		require.Empty(t, res.Errors, "the key publishes: %s", res.Body)
	})
	require.NoError(t, err, "the key's subscription receives the version")
	assert.GreaterOrEqual(t, decodeEvent(t, next).Data.IdlVersionPublished.Version, 2, "a published version")

	_, err = testserver.Subscribe(ctx, s.URL, map[string]any{"Authorization": "Bearer not-a-token"}, publishedSubscription, map[string]any{"id": privateID})
	assert.Error(t, err, "a bad token in connection_init is rejected")
}

// graphql-transport-ws clients tell a refused connection_init from a
// network failure by the close code 4403.
func TestSubscriptionBadTokenClosesWith4403(t *testing.T) {
	s := testserver.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	url := webSocketURL(s)
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(t, err, "dial %s", url)
	defer conn.CloseNow()

	init := map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer not-a-token"}}
	require.NoError(t, wsjson.Write(ctx, conn, init), "send connection_init")

	for {
		var m map[string]any
		err = wsjson.Read(ctx, conn, &m)
		if err != nil {
			break
		}
		require.NotEqual(t, "connection_ack", m["type"], "a bad token is not acknowledged")
	}
	assert.Equal(t, websocket.StatusCode(4403), websocket.CloseStatus(err), "close code: %v", err)
	var closed websocket.CloseError
	require.ErrorAs(t, err, &closed, "a close frame")
	assert.Contains(t, closed.Reason, "token", "the reason says what is wrong: %q", closed.Reason)
}

// A subscription ends with NOT_FOUND when its project is deleted, or made
// private to the subscriber, as a subscription to a missing project does.
func TestSubscriptionEndsWhenProjectGoes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s := testserver.Start(t)
	owner := s.Token(t, "owner")

	for _, change := range []string{
		`mutation($id: ID!) { deleteProject(id: $id) }`,
		`mutation($id: ID!) { updateProject(id: $id, input: {isPublic: false}) { id } }`,
	} {
		projectID := createProject(t, s, owner, "going "+change[11:17], smallIDL(t), true)
		sub, err := testserver.Subscribe(ctx, s.URL, nil, publishedSubscription, map[string]any{"id": projectID})
		require.NoError(t, err, "subscribe anonymously")
		defer sub.Close()

		first, err := sub.NextAfter(ctx, func(attempt int) {
			body := string(smallIDL(t)) + strings.Repeat(" ", attempt+1)
			res := s.Query(t, owner, publishMutation, map[string]any{"input": map[string]any{"projectId": projectID, "idlJson": body}})
			require.Empty(t, res.Errors, "publish: %s", res.Body)
		})
		require.NoError(t, err, "the subscription is live")
		require.Equal(t, "next", first.Type, "a version arrives: %s", first.Payload)

		res := s.Query(t, owner, change, map[string]any{"id": projectID})
		require.Empty(t, res.Errors, "%s: %s", change, res.Body)

		ended, err := sub.Next(ctx)
		require.NoError(t, err, "read the end of the subscription")
		assert.Equal(t, "error", ended.Type, "the subscription ends with an error: %s", ended.Payload)
		assert.Contains(t, string(ended.Payload), "NOT_FOUND", "the same answer as for a missing project")
	}
}
