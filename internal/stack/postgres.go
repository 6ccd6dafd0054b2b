package stack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Postgres is a throwaway PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only
// (and on a unix socket inside that directory), never the system's cluster.
type Postgres struct {
	*Process
	Port int
	// SuperuserDSN connects as `postgres` to the `postgres` database (postgres_exporter uses it, like
	// the seed's DATA_SOURCE_NAME).
	SuperuserDSN string
	// AppDSN connects as the `shop` role to the `shop` database (the demo services use it).
	AppDSN string
	Dir    string
}

// startPostgres runs initdb and postgres from binDir. As root both run as the `postgres` OS user,
// since PostgreSQL refuses to run as root; dir is chowned to it.
func startPostgres(ctx context.Context, binDir, dir, logDir string) (*Postgres, error) {
	var cred *syscall.Credential
	uid, gid := os.Getuid(), os.Getgid()
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL cannot run as root and there is no postgres user (install the postgresql package): %w", err)
		}
		// Parsed as 32-bit ids, which is what they are: no conversion can overflow.
		uid32, err := strconv.ParseUint(u.Uid, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("the postgres user's uid %q is not a number: %w", u.Uid, err)
		}
		gid32, err := strconv.ParseUint(u.Gid, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("the postgres user's gid %q is not a number: %w", u.Gid, err)
		}
		uid, gid = int(uid32), int(gid32)
		cred = &syscall.Credential{Uid: uint32(uid32), Gid: uint32(gid32), NoSetGroups: true}
	}
	dataDir := filepath.Join(dir, "data")
	sockDir := filepath.Join(dir, "run")
	for _, d := range []string{dir, sockDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
		if err := os.Chown(d, uid, gid); err != nil {
			return nil, err
		}
	}
	superPass, appPass := randomToken(), randomToken()
	pwFile := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pwFile, []byte(superPass+"\n"), 0o600); err != nil {
		return nil, err
	}
	if err := os.Chown(pwFile, uid, gid); err != nil {
		return nil, err
	}

	initdb := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"),
		"-D", dataDir, "-U", "postgres", "--pwfile="+pwFile,
		"--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL, Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, tail(string(out), 3000))
	}
	_ = os.Remove(pwFile)

	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	proc, err := StartProcess(ProcSpec{
		Name: "postgres",
		Path: filepath.Join(binDir, "postgres"),
		Args: []string{
			"-D", dataDir,
			"-c", "listen_addresses=127.0.0.1",
			"-c", "port=" + strconv.Itoa(port),
			"-c", "unix_socket_directories=" + sockDir,
			"-c", "max_connections=40",
			"-c", "shared_buffers=32MB",
			// A throwaway cluster: durability is not needed, speed is.
			"-c", "fsync=off",
			"-c", "synchronous_commit=off",
			"-c", "full_page_writes=off",
			"-c", "log_min_messages=warning",
			"-c", "log_connections=off",
		},
		Dir:        dir,
		Addr:       addr,
		LogDir:     logDir,
		Credential: cred,
		// SIGTERM waits for clients to disconnect; SIGINT is the fast shutdown.
		StopSignal: syscall.SIGINT,
	})
	if err != nil {
		return nil, err
	}
	pg := &Postgres{
		Process:      proc,
		Port:         port,
		Dir:          dir,
		SuperuserDSN: pgDSN("postgres", superPass, addr, "postgres"),
		AppDSN:       pgDSN("shop", appPass, addr, "shop"),
	}
	if err := pg.waitAccepting(ctx, binDir); err != nil {
		_ = proc.Stop(5 * time.Second)
		return nil, err
	}
	psql := exec.CommandContext(ctx, filepath.Join(binDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
		"-h", "127.0.0.1", "-p", strconv.Itoa(port), "-U", "postgres", "-d", "postgres",
		"-c", fmt.Sprintf("CREATE ROLE shop LOGIN PASSWORD '%s'", appPass),
		"-c", "CREATE DATABASE shop OWNER shop")
	psql.Env = append(os.Environ(), "PGPASSWORD="+superPass, "PGCONNECT_TIMEOUT=5")
	psql.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if out, err := psql.CombinedOutput(); err != nil {
		_ = proc.Stop(5 * time.Second)
		return nil, fmt.Errorf("create the shop database: %v\n%s", err, tail(string(out), 2000))
	}
	return pg, nil
}

func (pg *Postgres) waitAccepting(ctx context.Context, binDir string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		check := exec.CommandContext(ctx, filepath.Join(binDir, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(pg.Port), "-U", "postgres", "-t", "2")
		if check.Run() == nil {
			return nil
		}
		select {
		case <-pg.Done():
			return fmt.Errorf("postgres exited during start-up (%v); its log:\n%s", pg.ExitErr(), pg.LogTail(4096))
		case <-ctx.Done():
			return fmt.Errorf("postgres did not accept connections on %s: %w; its log:\n%s", pg.Addr, ctx.Err(), pg.LogTail(4096))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func pgDSN(userName, password, addr, db string) string {
	u := url.URL{Scheme: "postgresql", User: url.UserPassword(userName, password), Host: addr, Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

func randomToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
