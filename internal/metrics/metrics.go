// Package metrics exposes the server's Prometheus metrics: requests and
// their durations by operation, and the SQL statements the database ran.
package metrics

import (
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// maxOperations caps the distinct operation names kept as label values.
// Clients choose operation names, so without a cap they could grow the
// metrics without bound; later names are counted as "other".
const maxOperations = 200

// operationName is the shape of a GraphQL operation name.
var operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// Metrics holds the collectors of one server.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	mu    sync.Mutex
	known map[string]bool
}

// New registers the collectors. queries returns the number of SQL
// statements run so far.
func New(queries func() int64) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orquestra_http_requests_total",
			Help: "HTTP requests by GraphQL operation name and status code.",
		}, []string{"operation", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "orquestra_http_request_duration_seconds",
			Help:    "HTTP request durations by GraphQL operation name.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
		}, []string{"operation"}),
		known: map[string]bool{},
	}

	dbQueries := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "orquestra_db_queries_total",
		Help: "SQL statements executed.",
	}, func() float64 { return float64(queries()) })

	m.registry.MustRegister(m.requests, m.duration, dbQueries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	return m
}

// Observe records one request.
func (m *Metrics) Observe(operation string, status int, elapsed time.Duration) {
	label := m.label(operation)
	m.requests.WithLabelValues(label, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(label).Observe(elapsed.Seconds())
}

func (m *Metrics) label(operation string) string {
	if operation == "" {
		return "anonymous"
	}
	if !operationName.MatchString(operation) {
		return "invalid"
	}

	m.mu.Lock()
	defer m.mu.Unlock()

	if m.known[operation] {
		return operation
	}
	if len(m.known) >= maxOperations {
		return "other"
	}
	m.known[operation] = true

	return operation
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
