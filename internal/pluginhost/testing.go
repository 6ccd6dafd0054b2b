package pluginhost

import (
	"testing"
)

// StartTB starts the backend binary built into distDir for a test or benchmark, ends the test
// with how to build it when it is missing, and stops the plugin when the test ends. Options are
// passed on to Start (e.g. Stderr, to read the plugin's log); the log so far is not printed here.
func StartTB(tb testing.TB, distDir string, opts Options) *Plugin {
	tb.Helper()
	bin, err := BinaryPath(distDir)
	if err != nil {
		tb.Fatalf("%v\nbuild it first: npm run build && go run github.com/magefile/mage -v", err)
	}
	p, err := Start(bin, opts)
	if err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	tb.Cleanup(p.Close)
	return p
}
