package stack

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Instrumentation profiles of the demo app (METRICS_PROFILE; demo/nestjs-app/src/metrics/profiles.ts):
// how the same controllers are measured.
const (
	// ProfileSeed is the seed's interceptor: nestjs_success_requests / nestjs_fail_requests histograms
	// {handler, controller, method}, nestjs_requests_failed_count, nestjs_info. The default.
	ProfileSeed = "seed"
	// ProfileNestjsRequests is nestjs-prometheus-requests' single histogram: nestjs_requests
	// {handler, controller}, nestjs_requests_failed_count {handler, controller, error}, nestjs_info.
	ProfileNestjsRequests = "nestjs-requests"
	// ProfilePromClientHTTP is a prom-client HTTP middleware: http_request_duration_seconds
	// {method, route, status_code} and app_info{version}. The job label is the service's identity.
	ProfilePromClientHTTP = "prom-client-http"
	// ProfileOtelHTTP is OpenTelemetry JS with the stable HTTP conventions: http_server_request_duration
	// (seconds) {http_request_method, http_route, http_response_status_code, ...} and target_info.
	ProfileOtelHTTP = "otel-http"
	// ProfileOtelHTTPLegacy is OpenTelemetry JS with the old HTTP conventions: http_server_duration
	// (milliseconds) {http_method, http_route, http_status_code, ...} and target_info.
	ProfileOtelHTTPLegacy = "otel-http-legacy"
)

// Profiles lists every instrumentation profile, the default first.
var Profiles = []string{ProfileSeed, ProfileNestjsRequests, ProfilePromClientHTTP, ProfileOtelHTTP, ProfileOtelHTTPLegacy}

// ServiceSpec is one demo NestJS service (demo/nestjs-app) run from the shared build.
type ServiceSpec struct {
	// Short is SERVICE_NAME; the service's name in nestjs_info is "<domain>.<short>".
	Short   string
	Version string
	// Profile is METRICS_PROFILE (one of Profiles); empty means ProfileSeed.
	Profile string
	// Wrapped sets WRAP_METRICS=true: the metrics endpoint answers in the JSON envelope and the scrape fails.
	Wrapped bool
	// Cgroup puts the service in its own cgroup (a stand-in container), when cgroups are available.
	Cgroup bool
}

// DemoDomain is SERVICE_DOMAIN of the demo services.
const DemoDomain = "shop"

// DefaultServices are the two services of the demo (same code, different configuration).
var DefaultServices = []ServiceSpec{
	{Short: "gateway", Version: "1.4.2", Cgroup: true},
	{Short: "orders", Version: "2.0.1", Cgroup: true},
}

// ProfileServices are the extra services of Options.Profiles: one per profile besides the seed's,
// each named after a controller the demo app has (every service runs all of them).
var ProfileServices = []ServiceSpec{
	{Short: "catalog", Version: "3.2.0", Profile: ProfileNestjsRequests},
	{Short: "payments", Version: "1.8.0", Profile: ProfilePromClientHTTP},
	{Short: "users", Version: "0.9.3", Profile: ProfileOtelHTTP},
	{Short: "search", Version: "4.0.2", Profile: ProfileOtelHTTPLegacy},
}

// WrappedService is the extra instance that reproduces the seed's pitfall: a gateway release
// candidate whose response interceptor also wraps the metrics endpoint.
var WrappedService = ServiceSpec{Short: "gateway", Version: "1.5.0-rc.1", Wrapped: true}

// Service is a running demo service.
type Service struct {
	// Name is nestjs_info's name label, e.g. "shop.gateway".
	Name    string
	Short   string
	Version string
	Wrapped bool
	// Profile is the service's METRICS_PROFILE (ProfileSeed unless the spec chose another).
	Profile string
	// Job is the Prometheus job label of its target (see Stack.jobs).
	Job string
	// URL is the base URL, Instance the Prometheus instance label (host:port).
	URL      string
	Instance string
	// MetricsPath is where it serves metrics (METRICS_PATH).
	MetricsPath string
	// Cgroup is the stand-in container, or nil.
	Cgroup *Cgroup
	proc   *Process
}

// MetricsURL is the URL Prometheus scrapes.
func (s *Service) MetricsURL() string { return s.URL + s.MetricsPath }

// Process is the service's process.
func (s *Service) Process() *Process { return s.proc }

// EnsureDemoBuilt runs `npm ci` when node_modules is missing or older than package-lock.json, and
// `npm run build` when dist/ is missing or older than the sources, in demo/nestjs-app.
func EnsureDemoBuilt(ctx context.Context, repoRoot, npm string, logf func(string, ...any)) error {
	app := filepath.Join(repoRoot, "demo", "nestjs-app")
	cache, err := CacheDir()
	if err != nil {
		return err
	}
	unlock, err := lockFile(filepath.Join(cache, "nestjs-app.lock"))
	if err != nil {
		return err
	}
	defer unlock()
	lock := modTime(filepath.Join(app, "package-lock.json"))
	if lock.IsZero() {
		return fmt.Errorf("%s/package-lock.json is missing", app)
	}
	if installed := modTime(filepath.Join(app, "node_modules", ".package-lock.json")); installed.IsZero() || lock.After(installed) {
		logf("npm ci in demo/nestjs-app")
		if err := runNpm(ctx, app, npm, "ci", "--no-audit", "--no-fund"); err != nil {
			return err
		}
	}
	built := modTime(filepath.Join(app, "dist", "main.js"))
	newest := newestModTime(filepath.Join(app, "src"))
	for _, f := range []string{"package-lock.json", "tsconfig.json", "tsconfig.build.json"} {
		if t := modTime(filepath.Join(app, f)); t.After(newest) {
			newest = t
		}
	}
	if built.IsZero() || newest.After(built) {
		logf("npm run build in demo/nestjs-app")
		if err := runNpm(ctx, app, npm, "run", "build"); err != nil {
			return err
		}
	}
	return nil
}

func runNpm(ctx context.Context, dir, npm string, args ...string) error {
	cmd := exec.CommandContext(ctx, npm, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_UPDATE_NOTIFIER=1", "npm_config_update_notifier=false")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm %s in %s: %v\n%s", strings.Join(args, " "), dir, err, tail(string(out), 3000))
	}
	return nil
}

func modTime(path string) time.Time {
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}

func newestModTime(root string) time.Time {
	var newest time.Time
	_ = filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		return nil
	})
	return newest
}

// startService runs `node dist/main.js` with the spec's configuration. With a cgroup, a small shell
// enters the cgroup first and then execs node, so every byte node allocates is charged to it.
func startService(ctx context.Context, repoRoot, node string, spec ServiceSpec, cg *Cgroup, metricsPath, databaseURL, logDir string) (*Service, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	profile := spec.Profile
	if profile == "" {
		profile = ProfileSeed
	}
	if !slices.Contains(Profiles, profile) {
		return nil, fmt.Errorf("%s.%s: unknown profile %q (one of %s)", DemoDomain, spec.Short, profile, strings.Join(Profiles, ", "))
	}
	svc := &Service{
		Name:        DemoDomain + "." + spec.Short,
		Short:       spec.Short,
		Version:     spec.Version,
		Wrapped:     spec.Wrapped,
		Profile:     profile,
		Job:         serviceJob(DemoDomain+"."+spec.Short, profile),
		URL:         "http://" + addr,
		Instance:    addr,
		MetricsPath: metricsPath,
		Cgroup:      cg,
	}
	env := []string{
		"PORT=" + port,
		"HOST=127.0.0.1",
		"SERVICE_DOMAIN=" + DemoDomain,
		"SERVICE_NAME=" + spec.Short,
		"SERVICE_VERSION=" + spec.Version,
		"METRICS_PATH=" + metricsPath,
		"DATABASE_URL=" + databaseURL,
		"WRAP_METRICS=" + strconv.FormatBool(spec.Wrapped),
		"METRICS_PROFILE=" + profile,
		"NODE_ENV=production",
		"NO_COLOR=1",
		// Below the cgroup's memory limit, so V8 collects before the kernel's OOM killer steps in.
		"NODE_OPTIONS=--max-old-space-size=160",
	}
	path, args := node, []string{"dist/main.js"}
	if cg != nil {
		env = append(env, "PULSE_CGROUP_PROCS="+strings.Join(cg.ProcsFiles(), " "))
		path = "/bin/sh"
		args = []string{"-c", `for f in $PULSE_CGROUP_PROCS; do echo $$ > "$f" || exit 97; done; exec "$@"`, "pulse-demo", node, "dist/main.js"}
	}
	name := svc.Name
	if spec.Wrapped {
		name += "-wrapped"
	}
	proc, err := StartProcess(ProcSpec{Name: name, Path: path, Args: args, Env: env, Dir: filepath.Join(repoRoot, "demo", "nestjs-app"), Addr: addr, LogDir: logDir})
	if err != nil {
		return nil, err
	}
	svc.proc = proc
	if err := waitReady(ctx, proc, metricsPath); err != nil {
		return nil, err
	}
	return svc, nil
}

// LoadSpec configures the load generator (demo/load/load.mjs).
type LoadSpec struct {
	Rate     float64
	Duration time.Duration
}

func startLoad(repoRoot, node string, spec LoadSpec, targets []*Service, logDir string) (*Process, error) {
	args := []string{filepath.Join(repoRoot, "demo", "load", "load.mjs"),
		"--rate", strconv.FormatFloat(spec.Rate, 'f', -1, 64),
		"--duration", fmt.Sprintf("%ds", int(spec.Duration.Seconds())),
	}
	for _, t := range targets {
		args = append(args, "--target", t.URL)
	}
	return StartProcess(ProcSpec{Name: "load", Path: node, Args: args, LogDir: logDir, Env: []string{"NO_COLOR=1"}})
}
