package prom

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Kind names a class of failure so that callers (health check, query errors) can react to it.
type Kind string

const (
	KindUnreachable   Kind = "unreachable"
	KindTimeout       Kind = "timeout"
	KindTLS           Kind = "tls"
	KindAuth          Kind = "auth"
	KindNotFound      Kind = "not_found"
	KindNotPrometheus Kind = "not_prometheus"
	KindRateLimited   Kind = "rate_limited"
	KindUnavailable   Kind = "unavailable"
	KindBadQuery      Kind = "bad_query"
	KindUpstream      Kind = "upstream"
	KindCanceled      Kind = "canceled"
	KindRedirect      Kind = "redirect"
)

// Error is a failure talking to Prometheus, with a message a user can act on.
// Messages never contain the request URL's query (the PromQL), credentials or headers.
type Error struct {
	Kind   Kind
	Status int // HTTP status, 0 when no response arrived
	// Message says what happened and what to do next.
	Message string
	// Source tells Grafana whose fault it is: downstream (Prometheus, network, user query) or plugin.
	Source backend.ErrorSource
	// RetryAfter is the wait the server asked for (429/503 Retry-After), 0 when it named none.
	RetryAfter time.Duration
	cause      error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.cause }

// ErrorSourceOf returns the error source of err; errors not made here count as plugin errors.
func ErrorSourceOf(err error) backend.ErrorSource {
	var pe *Error
	if errors.As(err, &pe) && pe.Source != "" {
		return pe.Source
	}
	return backend.ErrorSourcePlugin
}

// KindOf returns the Kind of err, or "" when err did not come from this package.
func KindOf(err error) Kind {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return ""
}

// classifyTransportError turns an error from http.Client.Do into an actionable Error.
// host is the Prometheus host:port (never the full URL, which may carry credentials).
func classifyTransportError(ctx context.Context, err error, host string) *Error {
	mk := func(kind Kind, msg string) *Error {
		return &Error{Kind: kind, Message: msg, Source: backend.ErrorSourceDownstream, cause: err}
	}
	if errors.Is(ctx.Err(), context.Canceled) || errors.Is(err, context.Canceled) {
		return mk(KindCanceled, "the request to Prometheus was canceled")
	}
	if re, ok := redirectRefused(err); ok {
		return mk(KindRedirect, re.Error())
	}
	var (
		dnsErr      *net.DNSError
		unknownCA   x509.UnknownAuthorityError
		hostnameErr x509.HostnameError
		certInvalid x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
		netErr      net.Error
	)
	switch {
	case errors.As(err, &dnsErr):
		return mk(KindUnreachable, fmt.Sprintf("cannot resolve the Prometheus host %q: check the URL's host name (inside Docker, use the service name, e.g. http://prometheus:9090)", dnsErr.Name))
	case errors.Is(err, syscall.ECONNREFUSED):
		return mk(KindUnreachable, fmt.Sprintf("connection to Prometheus at %s was refused: is Prometheus running and listening on that port?", host))
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return mk(KindUnreachable, fmt.Sprintf("Prometheus at %s cannot be reached from the Grafana server: check the address and any firewall between them", host))
	case errors.As(err, &unknownCA):
		return mk(KindTLS, fmt.Sprintf("the TLS certificate of %s is signed by an unknown authority: add its CA certificate under TLS settings (\"With CA cert\"), or enable \"Skip TLS verify\" for testing only", host))
	case errors.As(err, &hostnameErr):
		return mk(KindTLS, fmt.Sprintf("the TLS certificate of %s is not valid for that host name: use the name the certificate was issued for, or set \"TLS server name\"", host))
	case errors.As(err, &certInvalid):
		return mk(KindTLS, fmt.Sprintf("the TLS certificate of %s is invalid (%s): renew it or check the server clock", host, certInvalidReason(certInvalid)))
	case errors.As(err, &recordErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return mk(KindTLS, fmt.Sprintf("%s does not speak TLS: change the URL to http://", host))
	case errors.Is(err, context.DeadlineExceeded), errors.Is(ctx.Err(), context.DeadlineExceeded):
		return mk(KindTimeout, fmt.Sprintf("Prometheus at %s did not answer in time: narrow the time range or simplify the query, or raise the timeout in the data source settings", host))
	case errors.As(err, &netErr) && netErr.Timeout():
		return mk(KindTimeout, fmt.Sprintf("Prometheus at %s did not answer in time: narrow the time range or simplify the query, or raise the timeout in the data source settings", host))
	}
	if strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:") {
		return mk(KindTLS, fmt.Sprintf("TLS handshake with %s failed (%s): check the TLS settings of the data source", host, tlsReason(err)))
	}
	return mk(KindUnreachable, fmt.Sprintf("cannot reach Prometheus at %s (%s)", host, transportReason(err)))
}

func certInvalidReason(e x509.CertificateInvalidError) string {
	switch e.Reason {
	case x509.Expired:
		return "expired or not yet valid"
	case x509.NotAuthorizedToSign:
		return "not authorized to sign"
	default:
		return "not acceptable"
	}
}

// transportReason is the innermost error text, without the URL that url.Error adds.
func transportReason(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	return err.Error()
}

func tlsReason(err error) string {
	r := transportReason(err)
	if i := strings.Index(r, "tls: "); i >= 0 {
		return r[i:]
	}
	if i := strings.Index(r, "x509: "); i >= 0 {
		return r[i:]
	}
	return r
}
