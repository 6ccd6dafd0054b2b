// Command extract writes the PromQL corpus: every expression of the sources in sources.json, read from local git
// mirrors at the pinned commits, one JSON object a line (expr, kind, source), in the order found.
//
//	go run ./cmd/extract [-sources sources.json] [-mirrors /work/.mirror] [-out corpus/expressions.jsonl]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pulse-monitoring/pulse/scripts/promql-corpus/extract"
)

func main() {
	sources := flag.String("sources", "sources.json", "the source list")
	mirrors := flag.String("mirrors", envOr("PULSE_PROMQL_MIRRORS", "/work/.mirror"), "folder of bare git mirrors, <owner>+<name>/repo")
	outPath := flag.String("out", "corpus/expressions.jsonl", "where to write the corpus")
	flag.Parse()
	if err := run(*sources, *mirrors, *outPath); err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func run(sourcesPath, mirrors, outPath string) error {
	list, err := extract.ReadSources(sourcesPath)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(outPath), 0o755); err != nil {
		return err
	}
	f, err := os.Create(outPath)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	total, unique := 0, map[string]bool{}
	for _, s := range list {
		mirror, err := extract.MirrorOf(mirrors, s.Repo)
		if err != nil {
			return err
		}
		files, err := mirror.Files(s.Commit)
		if err != nil {
			return err
		}
		var globs []*regexp.Regexp
		for _, p := range s.Paths {
			globs = append(globs, extract.Glob(p))
		}
		var chosen []string
		for _, p := range files {
			for _, g := range globs {
				if g.MatchString(p) {
					chosen = append(chosen, p)
					break
				}
			}
		}
		found, skipped := 0, 0
		err = mirror.Contents(s.Commit, chosen, func(path string, data []byte, missing bool) error {
			if missing {
				skipped++
				fmt.Fprintf(os.Stderr, "  %s: %s is not in the snapshot, skipped\n", s.Repo, path)
				return nil
			}
			var exprs []extract.Expression
			var err error
			if strings.HasSuffix(path, ".json") {
				exprs, err = extract.Dashboard(data)
			} else {
				exprs, err = extract.YAML(data)
			}
			if err != nil {
				// Some files in a glob are not dashboards or rules (or are templates): counted, not fatal.
				skipped++
				fmt.Fprintf(os.Stderr, "  %s: %s is not a dashboard or rule file (%v), skipped\n", s.Repo, path, firstLine(err.Error()))
			}
			for _, e := range exprs {
				e.Source = fmt.Sprintf("%s@%s:%s", s.Repo, s.Commit[:12], path)
				if err := enc.Encode(e); err != nil {
					return err
				}
				found++
				unique[e.Expr] = true
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s: %w", s.Repo, err)
		}
		total += found
		fmt.Fprintf(os.Stderr, "%-42s %4d files  %6d expressions  (%d files skipped)\n", s.Repo, len(chosen), found, skipped)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d expressions, %d different, in %s\n", total, len(unique), outPath)
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
