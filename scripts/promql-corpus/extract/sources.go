// Package extract reads PromQL from Grafana dashboards (JSON, or JSON inside a Kubernetes ConfigMap) and
// Prometheus rule files (YAML) in public repositories at pinned commits, as listed in sources.json.
package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Source is one repository at one commit, and the files of it to read.
type Source struct {
	Repo   string   `json:"repo"`
	Commit string   `json:"commit"`
	Paths  []string `json:"paths"`
}

// SourceList is sources.json.
type SourceList struct {
	Comment string   `json:"comment"`
	Sources []Source `json:"sources"`
}

// ReadSources reads and checks a source list.
func ReadSources(path string) ([]Source, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list SourceList
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, s := range list.Sources {
		if !regexp.MustCompile(`^[\w.-]+/[\w.-]+$`).MatchString(s.Repo) {
			return nil, fmt.Errorf("%s: source %d: repo %q is not owner/name", path, i+1, s.Repo)
		}
		if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(s.Commit) {
			return nil, fmt.Errorf("%s: %s: commit %q is not a full 40-hex commit id", path, s.Repo, s.Commit)
		}
		if len(s.Paths) == 0 {
			return nil, fmt.Errorf("%s: %s: no paths", path, s.Repo)
		}
	}
	return list.Sources, nil
}

// Glob turns a path pattern (`*` within a folder, `**/` any folders) into a matcher of whole paths.
func Glob(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case strings.HasPrefix(pattern[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
