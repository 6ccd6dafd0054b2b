package prom

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// KindBusy is a request that waited for a free slot of the data source's Limiter and gave up.
const KindBusy Kind = "busy"

// Limiter bounds the requests to one data source's Prometheus that are in flight at once, across
// every caller: the queries of all QueryData requests, health checks and resources. A dashboard
// sends each panel as its own QueryData request, so a bound per request does not bound the
// process; the answers being decoded are where the plugin's memory goes, and Prometheus itself
// runs only --query.max-concurrency (20) queries at once for all its clients.
//
// A slot is taken before a request is sent and given back when its answer's body is closed (or
// when no answer came). It cannot deadlock because no caller holds a slot while it waits for
// another: every code path reads and closes one answer before it sends the next request
// (QueryData's range, instant and exemplar requests of one query; CheckHealth's build info, engine
// probes and exporter queries; each resource), and callers that run requests side by side
// (discovery's exporter and catalog queries, a request's queries) take one slot per goroutine.
type Limiter struct {
	slots chan struct{}
}

// NewLimiter returns a limiter of n requests in flight; n < 1 counts as 1.
func NewLimiter(n int) *Limiter {
	if n < 1 {
		n = 1
	}
	return &Limiter{slots: make(chan struct{}, n)}
}

// Size is the number of requests the limiter lets through at once.
func (l *Limiter) Size() int { return cap(l.slots) }

// InFlight is the number of slots taken now.
func (l *Limiter) InFlight() int { return len(l.slots) }

// acquire waits for a slot until ctx ends or maxWait (when > 0) has passed, and returns the
// function that gives it back (safe to call more than once). A nil limiter lets everything through.
func (l *Limiter) acquire(ctx context.Context, maxWait time.Duration, host string) (func(), error) {
	if l == nil {
		return func() {}, nil
	}
	select {
	case l.slots <- struct{}{}:
	default:
		var timeout <-chan time.Time
		if maxWait > 0 {
			t := time.NewTimer(maxWait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case l.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, l.busy(ctx.Err(), host)
		case <-timeout:
			return nil, l.busy(context.DeadlineExceeded, host)
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-l.slots }) }, nil
}

func (l *Limiter) busy(cause error, host string) *Error {
	return &Error{
		Kind: KindBusy,
		Message: fmt.Sprintf("the data source is busy: %d requests to Prometheus at %s were already in flight and none finished before this query had to give up; "+
			"raise \"Max concurrent requests\" in the data source settings (jsonData maxConcurrentRequests, now %d), or refresh fewer panels at once", l.Size(), host, l.Size()),
		Source: backend.ErrorSourceDownstream,
		cause:  cause,
	}
}

// releasingBody gives the request's slot back when the answer is closed: until then its bytes
// are still arriving and being decoded.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
