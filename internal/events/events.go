// Package events notifies subscribers of new IDL versions. In one process
// the Local broker fans events out to subscribers. With PostgreSQL, the
// Postgres broker publishes through NOTIFY and every replica LISTENs, so a
// version published on one replica reaches the subscribers of all of them.
package events

import (
	"context"
	"sync"
)

// Published announces a new version of a project.
type Published struct {
	ProjectID string `json:"projectId"`
	VersionID string `json:"versionId"`
}

// Broker publishes events and delivers them to subscribers.
type Broker interface {
	Publish(ctx context.Context, e Published) error
	// Subscribe delivers the events of one project until ctx ends, then
	// closes the channel.
	Subscribe(ctx context.Context, projectID string) <-chan Published
}

// subscriberBuffer is how many events a slow subscriber may fall behind
// before further events to it are dropped.
const subscriberBuffer = 16

// Local is a Broker for one process.
type Local struct {
	mu          sync.Mutex
	subscribers map[string]map[chan Published]struct{}
}

// NewLocal returns an in-process broker.
func NewLocal() *Local {
	return &Local{subscribers: map[string]map[chan Published]struct{}{}}
}

// Publish delivers e to the project's subscribers in this process.
func (l *Local) Publish(_ context.Context, e Published) error {
	l.deliver(e)
	return nil
}

// Subscribe returns the project's events until ctx ends.
func (l *Local) Subscribe(ctx context.Context, projectID string) <-chan Published {
	ch := make(chan Published, subscriberBuffer)

	l.mu.Lock()
	if l.subscribers[projectID] == nil {
		l.subscribers[projectID] = map[chan Published]struct{}{}
	}
	l.subscribers[projectID][ch] = struct{}{}
	l.mu.Unlock()

	go func() {
		<-ctx.Done()

		l.mu.Lock()
		delete(l.subscribers[projectID], ch)
		if len(l.subscribers[projectID]) == 0 {
			delete(l.subscribers, projectID)
		}
		l.mu.Unlock()
		close(ch)
	}()

	return ch
}

// deliver sends e to every subscriber of its project without blocking: a
// subscriber whose buffer is full misses the event.
func (l *Local) deliver(e Published) {
	l.mu.Lock()
	defer l.mu.Unlock()

	for ch := range l.subscribers[e.ProjectID] {
		select {
		case ch <- e:
		default:
		}
	}
}
