package prom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// maxRedirects is how many redirects one request may follow (Go's own default is 10).
const maxRedirects = 5

// RedirectError stops a redirect to another origin. The SDK's middlewares add the data source's
// credentials (basic auth, bearer token) and custom headers to every request the client sends,
// redirected ones included: following a redirect to another scheme, host or port would hand them
// to a server the user never configured.
type RedirectError struct {
	// From and To are scheme://host[:port] of the configured server and of the redirect's target.
	From, To string
	// ToPath is the target's path, without its query string (which may carry anything).
	ToPath  string
	tooMany bool
}

func (e *RedirectError) Error() string {
	if e.tooMany {
		return fmt.Sprintf("%s redirected more than %d times: set the URL to the address the redirects end at", e.From, maxRedirects)
	}
	return fmt.Sprintf("%s redirected the request to another server, %s%s: Pulse does not follow a redirect to another scheme, host or port, "+
		"because it would send the data source's credentials and headers there; if that is the right server, set the data source URL to it", e.From, e.To, e.ToPath)
}

// SameOriginRedirects is an http.Client CheckRedirect that follows redirects only to the scheme,
// host and port of the first request, and at most maxRedirects of them.
func SameOriginRedirects(req *http.Request, via []*http.Request) error {
	if len(via) == 0 {
		return nil
	}
	first := via[0].URL
	if !sameOrigin(first, req.URL) {
		return &RedirectError{From: origin(first), To: origin(req.URL), ToPath: req.URL.EscapedPath()}
	}
	if len(via) >= maxRedirects {
		return &RedirectError{From: origin(first), tooMany: true}
	}
	return nil
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Hostname() == b.Hostname() && portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch u.Scheme {
	case "https":
		return "443"
	default:
		return "80"
	}
}

// origin is scheme://host[:port], never the userinfo, path or query.
func origin(u *url.URL) string {
	return u.Scheme + "://" + u.Host
}

// redirectRefused returns the RedirectError in err, if a redirect was refused.
func redirectRefused(err error) (*RedirectError, bool) {
	var re *RedirectError
	ok := errors.As(err, &re)
	return re, ok
}
