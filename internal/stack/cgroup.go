package stack

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Child cgroups stand in for containers on a machine without Docker (DESIGN §9): each demo service
// runs in its own cgroup with a memory limit and a CPU quota, and cAdvisor reports the cgroup as a
// container (label id="/<name>", no name or image). Only the cgroup v1 (or hybrid) layout is
// handled; on a pure cgroup v2 machine the services run without their own cgroups.

const cgroupRoot = "/sys/fs/cgroup"

// CgroupPrefix starts the name of every cgroup this package creates.
const CgroupPrefix = "pulse-demo-"

var cgroupControllers = []string{"cpu", "cpuacct", "memory", "pids"}

// CgroupLimits are applied to a new cgroup.
type CgroupLimits struct {
	MemoryBytes int64 // memory.limit_in_bytes
	CPUQuota    int64 // cpu.cfs_quota_us per 100 000 µs period (50 000 = half a CPU)
	Pids        int64 // pids.max
}

// Cgroup is a child cgroup in each v1 controller hierarchy.
type Cgroup struct {
	// Name is the directory name; cAdvisor's id label is "/" + Name.
	Name string
	dirs []string
}

// ID is the container id cAdvisor reports for the cgroup.
func (c *Cgroup) ID() string { return "/" + c.Name }

// ProcsFiles are the cgroup.procs files a process writes its pid to in order to enter the cgroup.
func (c *Cgroup) ProcsFiles() []string {
	files := make([]string, len(c.dirs))
	for i, d := range c.dirs {
		files[i] = filepath.Join(d, "cgroup.procs")
	}
	return files
}

// CgroupSupport says whether child cgroups can be created here, and why not.
func CgroupSupport() (bool, string) {
	if os.Geteuid() != 0 {
		return false, "not running as root, so no cgroups can be created"
	}
	if _, err := os.Stat(filepath.Join(cgroupRoot, "cgroup.controllers")); err == nil {
		return false, "this machine has a pure cgroup v2 hierarchy; the runner creates cgroup v1 child groups only"
	}
	for _, c := range cgroupControllers {
		if st, err := os.Stat(filepath.Join(cgroupRoot, c, "cgroup.procs")); err != nil || st.IsDir() {
			return false, fmt.Sprintf("the cgroup v1 %s controller is not mounted at %s/%s", c, cgroupRoot, c)
		}
	}
	return true, ""
}

// controllerDirs are the distinct hierarchy roots (cpu and cpuacct are often one mount).
func controllerDirs() ([]string, error) {
	var roots []string
	seen := map[string]bool{}
	for _, c := range cgroupControllers {
		real, err := filepath.EvalSymlinks(filepath.Join(cgroupRoot, c))
		if err != nil {
			return nil, err
		}
		if !seen[real] {
			seen[real] = true
			roots = append(roots, real)
		}
	}
	return roots, nil
}

// CreateCgroup makes /sys/fs/cgroup/<controller>/<CgroupPrefix><name> (or <name>-2, ... while the
// name is taken by a cgroup with processes in it) and applies the limits.
func CreateCgroup(name string, limits CgroupLimits) (*Cgroup, error) {
	if ok, why := CgroupSupport(); !ok {
		return nil, errors.New(why)
	}
	roots, err := controllerDirs()
	if err != nil {
		return nil, err
	}
	base := CgroupPrefix + name
	for i := 1; i <= 20; i++ {
		candidate := base
		if i > 1 {
			candidate = fmt.Sprintf("%s-%d", base, i)
		}
		if cgroupBusy(roots, candidate) {
			continue
		}
		cg := &Cgroup{Name: candidate}
		for _, root := range roots {
			dir := filepath.Join(root, candidate)
			_ = os.Remove(dir) // an empty leftover: start with fresh counters
			if err := os.Mkdir(dir, 0o755); err != nil {
				_ = cg.Remove()
				return nil, fmt.Errorf("create cgroup %s: %w", dir, err)
			}
			cg.dirs = append(cg.dirs, dir)
		}
		if err := cg.apply(limits); err != nil {
			_ = cg.Remove()
			return nil, err
		}
		return cg, nil
	}
	return nil, fmt.Errorf("no free cgroup name for %s", base)
}

func cgroupBusy(roots []string, name string) bool {
	for _, root := range roots {
		if pids := readPids(filepath.Join(root, name, "cgroup.procs")); len(pids) > 0 {
			return true
		}
	}
	return false
}

func (c *Cgroup) apply(l CgroupLimits) error {
	write := func(controller, file, value string) error {
		for _, d := range c.dirs {
			path := filepath.Join(d, file)
			if _, err := os.Stat(path); err == nil {
				if err := os.WriteFile(path, []byte(value), 0o644); err != nil {
					return fmt.Errorf("cgroup %s: write %s to %s: %w", c.Name, value, path, err)
				}
				return nil
			}
		}
		return fmt.Errorf("cgroup %s: no %s in the %s controller", c.Name, file, controller)
	}
	if l.MemoryBytes > 0 {
		if err := write("memory", "memory.limit_in_bytes", strconv.FormatInt(l.MemoryBytes, 10)); err != nil {
			return err
		}
	}
	if l.CPUQuota > 0 {
		if err := write("cpu", "cpu.cfs_period_us", "100000"); err != nil {
			return err
		}
		if err := write("cpu", "cpu.cfs_quota_us", strconv.FormatInt(l.CPUQuota, 10)); err != nil {
			return err
		}
	}
	if l.Pids > 0 {
		if err := write("pids", "pids.max", strconv.FormatInt(l.Pids, 10)); err != nil {
			return err
		}
	}
	return nil
}

// Remove kills any process still in the cgroup (they are this stack's) and removes its directories.
func (c *Cgroup) Remove() error {
	var errs []error
	for _, d := range c.dirs {
		procs := filepath.Join(d, "cgroup.procs")
		deadline := time.Now().Add(3 * time.Second)
		for {
			pids := readPids(procs)
			if len(pids) == 0 {
				break
			}
			for _, pid := range pids {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			if time.Now().After(deadline) {
				errs = append(errs, fmt.Errorf("cgroup %s still has processes %v", d, pids))
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		for {
			err := os.Remove(d)
			if err == nil || errors.Is(err, os.ErrNotExist) {
				break
			}
			if time.Now().After(deadline) {
				errs = append(errs, fmt.Errorf("remove cgroup %s: %w", d, err))
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return errors.Join(errs...)
}

func readPids(procsFile string) []int {
	data, err := os.ReadFile(procsFile)
	if err != nil {
		return nil
	}
	var pids []int
	for _, f := range strings.Fields(string(data)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// removeStaleCgroups removes empty pulse-demo-* cgroups left by a stack that was killed (SIGKILL
// skips the cleanup; its processes died with it through Pdeathsig, so the groups are empty). A group
// younger than a minute may belong to a stack that is starting right now and is left alone.
func removeStaleCgroups() {
	if ok, _ := CgroupSupport(); !ok {
		return
	}
	roots, err := controllerDirs()
	if err != nil {
		return
	}
	for _, root := range roots {
		dirs, _ := filepath.Glob(filepath.Join(root, CgroupPrefix+"*"))
		for _, d := range dirs {
			st, err := os.Stat(d)
			if err == nil && time.Since(st.ModTime()) > time.Minute && len(readPids(filepath.Join(d, "cgroup.procs"))) == 0 {
				_ = os.Remove(d)
			}
		}
	}
}
