package prom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
)

// answerBody is the body of an answer as the client hands it on: it counts what arrived and
// turns a failure while reading into an *Error that says what happened (the read timed out, the
// connection broke, the body ended before its announced length), how long it took and how much
// had arrived. Read errors that other layers explain themselves (the SDK's response limit) and a
// clean io.EOF pass unchanged.
type answerBody struct {
	body  io.ReadCloser
	host  string
	start time.Time
	n     int64
}

func newAnswerBody(body io.ReadCloser, host string, start time.Time) *answerBody {
	return &answerBody{body: body, host: host, start: start}
}

func (b *answerBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.n += int64(n)
	if err != nil && err != io.EOF {
		err = b.explain(err)
	}
	return n, err
}

func (b *answerBody) Close() error { return b.body.Close() }

// Received is how many bytes of the answer have been read.
func (b *answerBody) Received() int64 { return b.n }

func (b *answerBody) explain(err error) error {
	var pe *Error
	if errors.As(err, &pe) || errors.Is(err, httpclient.ErrResponseBodyTooLarge) || strings.Contains(err.Error(), "response body too large") {
		return err
	}
	elapsed := time.Since(b.start).Round(100 * time.Millisecond)
	mk := func(kind Kind, msg string) *Error {
		return &Error{Kind: kind, Message: msg, Source: backend.ErrorSourceDownstream, cause: err}
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return mk(KindCanceled, "the request to Prometheus was canceled while its answer was being read")
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout(), strings.Contains(err.Error(), "Client.Timeout"):
		return mk(KindTimeout, fmt.Sprintf("timed out while reading the answer from Prometheus at %s after %s (%s had arrived): "+
			"the answer is too large or the connection too slow; narrow the time range, raise the min step or aggregate the query, "+
			"or raise the timeout in the data source settings", b.host, formatSeconds(elapsed), formatBytes(b.n)))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return mk(KindUpstream, CutOffMessage(b.n))
	default:
		return mk(KindUnreachable, fmt.Sprintf("the connection to Prometheus at %s broke after %s of its answer had arrived (%s): "+
			"try again; if it keeps happening, check the proxies between Grafana and Prometheus", b.host, formatBytes(b.n), transportReason(err)))
	}
}

// CutOffMessage says an answer ended early, after n bytes.
func CutOffMessage(n int64) string {
	return fmt.Sprintf("the answer from Prometheus was cut off after %s (it ends in the middle of its JSON): "+
		"the connection was cut or a proxy limits the body size; narrow the query and try again", formatBytes(n))
}

func formatSeconds(d time.Duration) string {
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func formatBytes(n int64) string {
	switch {
	case n == 1:
		return "1 byte"
	case n < 10<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 10<<20:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d MB", n>>20)
	}
}

// DecodeJSON reads an API answer of at most limit bytes into v, with the errors a user can act
// on: a read failure as answerBody explains it, a body that ends early as cut off after so many
// bytes, one that is too large, or one that is not JSON.
func (c *Client) DecodeJSON(resp *http.Response, limit int64, v any) error {
	lr := &io.LimitedReader{R: resp.Body, N: limit + 1}
	err := json.NewDecoder(lr).Decode(v)
	if err == nil {
		return nil
	}
	received := limit + 1 - lr.N
	var pe *Error
	var tooLarge *TooLargeError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &tooLarge):
		return tooLarge
	case errors.As(err, &pe):
		return pe
	case lr.N <= 0:
		return &Error{Kind: KindUpstream, Message: fmt.Sprintf("the answer from Prometheus at %s is larger than the %s Pulse reads for this request: narrow it (a shorter time range, a more specific match[] selector)", c.Host(), formatBytes(limit)), Source: backend.ErrorSourceDownstream}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Kind: KindUpstream, Message: CutOffMessage(received), Source: backend.ErrorSourceDownstream}
	case errors.Is(err, io.EOF):
		return &Error{Kind: KindNotPrometheus, Message: fmt.Sprintf("%s answered with an empty body, not the Prometheus API's JSON: check the URL", c.Host()), Source: backend.ErrorSourceDownstream}
	case errors.As(err, &syntax):
		return &Error{Kind: KindNotPrometheus, Message: fmt.Sprintf("%s answered with something that is not valid JSON (at byte %d), so not the Prometheus API: check the URL", c.Host(), syntax.Offset), Source: backend.ErrorSourceDownstream}
	default:
		// A type mismatch: JSON, but not the shape of this API's answer.
		return &Error{Kind: KindNotPrometheus, Message: fmt.Sprintf("%s answered with JSON that is not the Prometheus API's answer for this request: check the URL points at Prometheus", c.Host()), Source: backend.ErrorSourceDownstream}
	}
}
