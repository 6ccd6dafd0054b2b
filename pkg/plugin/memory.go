package plugin

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The plugin's memory follows its answers: a dashboard of large answers takes hundreds of MB
// for seconds, then almost nothing. Go keeps the heap it grew, though: after a burst nothing
// allocates, so no garbage collection runs until the runtime forces one (every 2 minutes) and the
// pages of the answers stay counted against the process (README "Limits" has the measurements).

// softMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT is not set: under it the
// garbage collector works as usual (GOGC); near it, it collects more often instead of letting the
// heap double, and returns freed pages to the OS. It is soft: a process that needs more live
// memory gets it, at the cost of more collections (the runtime caps their CPU at about half).
const softMemoryLimit = 1 << 30

// SetSoftMemoryLimit applies softMemoryLimit unless the plugin's environment sets GOMEMLIMIT,
// the runtime's own setting ("off" turns the limit off).
func SetSoftMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}

// After a burst of queries, once none has run for releaseIdle, the heap the burst grew is
// collected and handed back to the OS when it is more than releaseAbove: a forced collection
// costs little at that point (the answers are garbage) and saves the process holding it for
// minutes. Steady traffic keeps the timer from firing, and the runtime's own pacing then applies.
const (
	releaseIdle  = 3 * time.Second
	releaseAbove = 256 << 20
)

var idleRelease = struct {
	sync.Mutex
	timer *time.Timer
}{}

// releaseMemoryWhenIdle (re)starts the idle timer; QueryData calls it as each request ends.
func releaseMemoryWhenIdle() {
	idleRelease.Lock()
	defer idleRelease.Unlock()
	if idleRelease.timer == nil {
		idleRelease.timer = time.AfterFunc(releaseIdle, releaseHeldMemory)
		return
	}
	idleRelease.timer.Reset(releaseIdle)
}

// releaseHeldMemory collects twice before it returns the free pages: the first collection only
// moves what sync.Pools hold (the HTTP transport's and gRPC's buffers, grown to the burst's
// answers) to their victim caches, the second frees it. One collection left 530 MB of a 1.3 GB
// burst held; two leave 45 MB.
func releaseHeldMemory() {
	if heldFromOS() > releaseAbove {
		runtime.GC()
		debug.FreeOSMemory()
	}
}

// heldFromOS is the heap memory the runtime has from the OS and has not returned.
func heldFromOS() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}
