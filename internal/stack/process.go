package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a server or job started by this package. Each runs in its own process group with
// Pdeathsig SIGKILL, so it dies with the process that started it even when that one is killed;
// Stop signals it, waits, and then kills whatever is left of its group.
type Process struct {
	// Name identifies the process in messages ("prometheus", "shop.gateway", ...).
	Name string
	// Addr is host:port for servers, empty for jobs (the load generator).
	Addr string
	// LogPath is the file that receives the process' stdout and stderr.
	LogPath string

	cmd        *exec.Cmd
	stopSignal syscall.Signal
	done       chan struct{}
	exitErr    error
	logFile    *os.File
	stopOnce   sync.Once
}

// URL is the server's base URL (http://host:port).
func (p *Process) URL() string { return "http://" + p.Addr }

// Pid is the process id (the process group id too).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// ExitErr is the result of the process' Wait; valid once Done is closed.
func (p *Process) ExitErr() error { return p.exitErr }

// Exited reports whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// LogTail returns up to the last n bytes of the process' log.
func (p *Process) LogTail(n int64) string {
	f, err := os.Open(p.LogPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return ""
	}
	off := st.Size() - n
	if off < 0 {
		off = 0
	}
	buf := make([]byte, st.Size()-off)
	_, _ = f.ReadAt(buf, off)
	return string(buf)
}

// Stop ends the process: its stop signal (SIGTERM unless set otherwise) to the leader, then after
// grace SIGKILL to the whole process group; finally any process left in the group is killed too.
func (p *Process) Stop(grace time.Duration) error {
	var err error
	p.stopOnce.Do(func() {
		pgid := p.cmd.Process.Pid
		if !p.Exited() {
			_ = p.cmd.Process.Signal(p.stopSignal)
			select {
			case <-p.done:
			case <-time.After(grace):
				err = fmt.Errorf("%s did not stop within %s after %v; killed", p.Name, grace, p.stopSignal)
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				<-p.done
			}
		}
		// Children that outlived the leader (e.g. a forked helper) go with it.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		_ = p.logFile.Close()
	})
	return err
}

// ProcSpec describes a process to start.
type ProcSpec struct {
	Name string
	// Path and Args of the program (Args without the program name).
	Path string
	Args []string
	// Env is appended to this process' environment (KEY=VALUE).
	Env []string
	Dir string
	// Addr is where the server listens (host:port); empty for jobs.
	Addr string
	// LogDir receives <name>.log.
	LogDir string
	// Credential runs the process as another user (postgres refuses to run as root).
	Credential *syscall.Credential
	// StopSignal is sent first by Stop; default SIGTERM (PostgreSQL wants SIGINT, its fast shutdown).
	StopSignal syscall.Signal
}

// StartProcess starts spec. It does not wait for readiness (see WaitHTTP).
func StartProcess(spec ProcSpec) (*Process, error) {
	if err := os.MkdirAll(spec.LogDir, 0o755); err != nil {
		return nil, err
	}
	logPath := filepath.Join(spec.LogDir, sanitize(spec.Name)+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(spec.Path, spec.Args...)
	cmd.Env = append(os.Environ(), spec.Env...)
	cmd.Dir = spec.Dir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Stdin = nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL, Credential: spec.Credential}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s (%s): %w", spec.Name, spec.Path, err)
	}
	sig := spec.StopSignal
	if sig == 0 {
		sig = syscall.SIGTERM
	}
	p := &Process{Name: spec.Name, Addr: spec.Addr, LogPath: logPath, cmd: cmd, stopSignal: sig, done: make(chan struct{}), logFile: logFile}
	go func() {
		p.exitErr = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, name)
}

// WaitHTTP polls http://addr+path until it answers 200, the process exits, or ctx ends.
func WaitHTTP(ctx context.Context, p *Process, path string) error {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL()+path, nil)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before it answered on %s (%v); its log:\n%s", p.Name, p.Addr, p.exitErr, p.LogTail(4096))
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer 200 on %s%s: %w; its log:\n%s", p.Name, p.URL(), path, ctx.Err(), p.LogTail(4096))
		case <-time.After(150 * time.Millisecond):
		}
	}
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("no free port on 127.0.0.1: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// freeAddr is FreePort as 127.0.0.1:port.
func freeAddr() (string, error) {
	port, err := FreePort()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("127.0.0.1:%d", port), nil
}

// stopAll stops processes concurrently and joins their errors.
func stopAll(grace time.Duration, procs ...*Process) error {
	var wg sync.WaitGroup
	errs := make([]error, len(procs))
	for i, p := range procs {
		if p == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.Stop(grace)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
