package extract

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Mirror is a bare git directory of a source's repository.
type Mirror struct{ Dir string }

// MirrorOf finds owner/name under mirrors as <owner>+<name>/repo (or <owner>+<name> itself when bare).
func MirrorOf(mirrors, repo string) (Mirror, error) {
	base := filepath.Join(mirrors, strings.Replace(repo, "/", "+", 1))
	for _, dir := range []string{filepath.Join(base, "repo"), base} {
		if _, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
			return Mirror{dir}, nil
		}
	}
	return Mirror{}, fmt.Errorf("no git mirror of %s at %s (bring it there first, e.g. git clone --bare https://github.com/%s %s)", repo, base, repo, filepath.Join(base, "repo"))
}

func (m Mirror) git(args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", m.Dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s in %s: %v: %s", strings.Join(args, " "), m.Dir, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// Files lists the paths of a commit.
func (m Mirror) Files(commit string) ([]string, error) {
	if _, err := m.git("cat-file", "-e", commit+"^{commit}"); err != nil {
		return nil, fmt.Errorf("commit %s is not in the mirror %s (fetch the repository again): %w", commit, m.Dir, err)
	}
	out, err := m.git("ls-tree", "-r", "-z", "--name-only", commit)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) > 0 {
			files = append(files, string(p))
		}
	}
	return files, nil
}

// Contents reads files of a commit through one `git cat-file --batch`; fn gets each file's bytes, in order.
// A file the snapshot lacks (too large, or an LFS pointer's target) is reported as missing.
func (m Mirror) Contents(commit string, paths []string, fn func(path string, data []byte, missing bool) error) error {
	cmd := exec.Command("git", "--git-dir", m.Dir, "cat-file", "--batch")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for _, p := range paths {
			fmt.Fprintf(w, "%s:%s\n", commit, p)
		}
		w.Flush()
		stdin.Close()
	}()
	r := bufio.NewReader(stdout)
	var failure error
	for _, p := range paths {
		header, err := r.ReadString('\n')
		if err != nil {
			failure = fmt.Errorf("git cat-file: %w", err)
			break
		}
		fields := strings.Fields(header)
		if len(fields) < 3 {
			if err := fn(p, nil, true); err != nil && failure == nil {
				failure = err
			}
			continue
		}
		size, _ := strconv.Atoi(fields[2])
		data := make([]byte, size+1) // with the trailing newline
		if _, err := io.ReadFull(r, data); err != nil {
			failure = fmt.Errorf("git cat-file %s: %w", p, err)
			break
		}
		if err := fn(p, data[:size], false); err != nil && failure == nil {
			failure = err
		}
	}
	_, _ = io.Copy(io.Discard, r)
	if err := cmd.Wait(); err != nil && failure == nil {
		failure = err
	}
	return failure
}
