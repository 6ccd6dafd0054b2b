package plugin

import (
	"regexp"
	"strings"
)

// Thanos Query names the store it could not read in its warnings (partial response allowed) and
// errors (partial_response=false) the same way:
//
//	fetch series for {replica="b"} Addr: 127.0.0.1:10901 MinTime: … MaxTime: …: rpc error: code = Unavailable desc = …
var thanosStoreFailure = regexp.MustCompile(`fetch series for (\{[^}]*\}) Addr: (\S+) .*?: rpc error: code = (\w+)`)

// thanosStore describes the unreachable store of a Thanos message ("{replica="b"} at 127.0.0.1:10901,
// Unavailable"), or returns false for any other message.
func thanosStore(msg string) (string, bool) {
	m := thanosStoreFailure.FindStringSubmatch(msg)
	if m == nil {
		return "", false
	}
	labels := m[1]
	if labels == "{}" {
		labels = "a store"
	}
	return labels + " at " + m[2] + ", " + m[3], true
}

// partialResponseNotice rewrites Thanos' warning about a store it could not read so that the
// panel's notice says what it means; other warnings pass unchanged.
func partialResponseNotice(warning string) string {
	store, ok := thanosStore(warning)
	if !ok {
		return warning
	}
	return "Partial response: Thanos Query could not read " + store + ". Series only that store holds are missing " +
		"(with a replicated Prometheus pair, the other replica still answers). Details: " + warning
}

// noPartialResponseMessage explains Thanos' error for an unreachable store when the data source
// asks for complete answers only, or returns false for any other error.
func noPartialResponseMessage(msg string) (string, bool) {
	store, ok := thanosStore(msg)
	if !ok {
		return "", false
	}
	return "Thanos Query could not read " + store + ", and partial responses are turned off in the data source " +
		"settings, so the query fails rather than show incomplete data: bring that store (a Prometheus sidecar or " +
		"store gateway) back, or turn on \"Allow partial responses\" to see what the other stores hold. Details: " +
		strings.TrimSpace(msg), true
}
