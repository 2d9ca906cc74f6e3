package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// Channel is the PostgreSQL notification channel of published versions.
const Channel = "orquestra_versions"

// Postgres is a Broker shared by every replica on one PostgreSQL database.
// Publish sends a NOTIFY; a listener in each replica receives it, including
// the replica that sent it, and delivers it to that replica's subscribers.
type Postgres struct {
	local *Local
	db    bun.IDB
	dsn   string
	log   *slog.Logger
}

// NewPostgres returns a broker that notifies through db and listens on a
// connection of its own to dsn. Call Listen to start receiving.
func NewPostgres(db bun.IDB, dsn string, log *slog.Logger) *Postgres {
	return &Postgres{local: NewLocal(), db: db, dsn: dsn, log: log}
}

// Publish notifies every replica, this one included.
func (p *Postgres) Publish(ctx context.Context, e Published) error {
	payload, err := json.Marshal(e)
	if err != nil {
		return err
	}

	if _, err := p.db.ExecContext(ctx, "SELECT pg_notify(?, ?)", Channel, string(payload)); err != nil {
		return fmt.Errorf("notify version %s of project %s: %w", e.VersionID, e.ProjectID, err)
	}

	return nil
}

// Subscribe returns the project's events from every replica until ctx ends.
func (p *Postgres) Subscribe(ctx context.Context, projectID string) <-chan Published {
	return p.local.Subscribe(ctx, projectID)
}

// Listen receives notifications until ctx ends, reconnecting after a lost
// connection. It blocks until the first LISTEN is in place, so that a
// server counts as started only once it receives events.
func (p *Postgres) Listen(ctx context.Context) error {
	conn, err := p.connect(ctx)
	if err != nil {
		return err
	}

	go p.run(ctx, conn)
	return nil
}

func (p *Postgres) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, p.dsn)
	if err != nil {
		return nil, fmt.Errorf("connect the notification listener: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("listen on %s: %w", Channel, err)
	}

	return conn, nil
}

// run delivers notifications, and after a failure waits a second and
// reconnects. Events published while it reconnects are missed.
func (p *Postgres) run(ctx context.Context, conn *pgx.Conn) {
	for {
		err := p.receive(ctx, conn)
		conn.Close(context.Background())
		if ctx.Err() != nil {
			return
		}
		p.log.Warn("notification listener lost its connection: reconnecting", "err", err)

		for conn = nil; conn == nil; {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			if conn, err = p.connect(ctx); err != nil {
				p.log.Warn("reconnect the notification listener", "err", err)
			}
		}
	}
}

func (p *Postgres) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}

		var e Published
		if err := json.Unmarshal([]byte(n.Payload), &e); err != nil {
			p.log.Warn("ignored a malformed notification", "channel", n.Channel, "err", err)
			continue
		}
		p.local.deliver(e)
	}
}
