package plugin

import (
	"strings"
	"testing"
	"time"
)

// fakeClock is a cache clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestResourceCacheBounds(t *testing.T) {
	tests := []struct {
		name        string
		entries     int
		bytes       int
		puts        []string // keys, each with a 100-byte body, 30 s to live
		advance     time.Duration
		putAfter    string // one more put after advancing the clock
		wantKept    []string
		wantDropped []string
	}{
		{name: "entries: oldest out first", entries: 2, bytes: 1 << 20, puts: []string{"a", "b", "c"},
			wantKept: []string{"b", "c"}, wantDropped: []string{"a"}},
		{name: "bytes: oldest out first", entries: 100, bytes: 400, puts: []string{"a", "b", "c", "d", "e"},
			wantKept: []string{"b", "c", "d", "e"}, wantDropped: []string{"a"}},
		{name: "a put refreshes its key without doubling it", entries: 2, bytes: 1 << 20, puts: []string{"a", "b", "a", "c"},
			wantKept: []string{"a", "c"}, wantDropped: []string{"b"}},
		{name: "expired entries are purged on put", entries: 100, bytes: 1 << 20, puts: []string{"a", "b"},
			advance: 31 * time.Second, putAfter: "c", wantKept: []string{"c"}, wantDropped: []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Unix(1700000000, 0)}
			c := newResourceCache(tc.entries, tc.bytes)
			c.now = clock.now
			defer c.close()
			body := []byte(strings.Repeat("x", 99))
			for _, k := range tc.puts {
				c.put(k, body, 30*time.Second)
			}
			clock.t = clock.t.Add(tc.advance)
			if tc.putAfter != "" {
				c.put(tc.putAfter, body, 30*time.Second)
			}
			for _, k := range tc.wantKept {
				if _, ok := c.get(k); !ok {
					t.Errorf("%q was dropped", k)
				}
			}
			for _, k := range tc.wantDropped {
				if _, ok := c.entries[k]; ok {
					t.Errorf("%q is still held", k)
				}
			}
			if c.order.Len() != len(tc.wantKept) || c.bytes != 100*len(tc.wantKept) {
				t.Errorf("%d entries of %d bytes, want %d of %d", c.order.Len(), c.bytes, len(tc.wantKept), 100*len(tc.wantKept))
			}
		})
	}
}

func TestResourceCacheRefusesAnswersLargerThanAQuarterOfItsBudget(t *testing.T) {
	c := newResourceCache(10, 1000)
	defer c.close()
	c.put("small", make([]byte, 200), time.Minute)
	c.put("large", make([]byte, 300), time.Minute)
	if _, ok := c.get("large"); ok {
		t.Error("an answer over a quarter of the byte budget was kept")
	}
	if _, ok := c.get("small"); !ok || c.bytes != 205 {
		t.Errorf("small answer lost or bytes %d, want 205", c.bytes)
	}
}

// An idle instance must not hold answers past their time: the timer purges them with no request.
func TestResourceCachePurgesExpiredEntriesWhenIdle(t *testing.T) {
	c := newResourceCache(10, 1<<20)
	defer c.close()
	c.put("short", []byte("1"), 20*time.Millisecond)
	c.put("long", []byte("2"), time.Hour)
	deadline := time.Now().Add(3 * time.Second)
	for {
		c.mu.Lock()
		_, held := c.entries["short"]
		n := c.order.Len()
		c.mu.Unlock()
		if !held {
			if n != 1 {
				t.Fatalf("%d entries left, want the long one only", n)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired entry is still held 3 s after its TTL")
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.close()
	if c.timer != nil || c.order.Len() != 0 || c.bytes != 0 {
		t.Error("close left a timer or entries behind")
	}
	c.put("after", []byte("3"), time.Hour)
	if _, ok := c.get("after"); ok {
		t.Error("a disposed cache took a new answer")
	}
}
