package plugin

import (
	"container/list"
	"sync"
	"time"
)

// resourceCache keeps resource answers briefly: dropdowns and pages ask the same questions many
// times a minute, and Prometheus should not pay for each. Bounded in entries and in bytes (keys
// and bodies); oldest out first. Expired answers are dropped when they expire, by a timer rather
// than a goroutine of its own, so an idle instance holds nothing stale and Dispose has nothing
// to wait for.
type resourceCache struct {
	mu         sync.Mutex
	entries    map[string]*list.Element // of *cacheEntry
	order      *list.List               // oldest first
	bytes      int
	maxEntries int
	maxBytes   int
	now        func() time.Time
	timer      *time.Timer // pending purge, at wake
	wake       time.Time
	closed     bool
}

type cacheEntry struct {
	key     string
	body    []byte
	expires time.Time
}

func (e *cacheEntry) size() int { return len(e.key) + len(e.body) }

func newResourceCache(maxEntries, maxBytes int) *resourceCache {
	return &resourceCache{
		entries: map[string]*list.Element{}, order: list.New(),
		maxEntries: maxEntries, maxBytes: maxBytes, now: time.Now,
	}
}

func (c *resourceCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !c.now().Before(e.expires) {
		c.remove(el)
		return nil, false
	}
	return e.body, true
}

// put keeps body under key for ttl. An answer larger than a quarter of the byte budget is not
// kept: one huge metric list must not push out every other answer.
func (c *resourceCache) put(key string, body []byte, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &cacheEntry{key: key, body: body, expires: c.now().Add(ttl)}
	if c.closed || ttl <= 0 || e.size() > c.maxBytes/4 {
		return
	}
	if old, ok := c.entries[key]; ok {
		c.remove(old)
	}
	c.purgeExpiredLocked()
	c.entries[key] = c.order.PushBack(e)
	c.bytes += e.size()
	for c.order.Len() > c.maxEntries || c.bytes > c.maxBytes {
		c.remove(c.order.Front())
	}
	c.schedule(e.expires)
}

func (c *resourceCache) remove(el *list.Element) {
	e := c.order.Remove(el).(*cacheEntry)
	delete(c.entries, e.key)
	c.bytes -= e.size()
}

func (c *resourceCache) purgeExpiredLocked() {
	now := c.now()
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if !now.Before(el.Value.(*cacheEntry).expires) {
			c.remove(el)
		}
		el = next
	}
}

// purge runs on the timer: it drops what has expired and sets the timer for the next expiry.
func (c *resourceCache) purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timer, c.wake = nil, time.Time{}
	if c.closed {
		return
	}
	c.purgeExpiredLocked()
	for el := c.order.Front(); el != nil; el = el.Next() {
		c.schedule(el.Value.(*cacheEntry).expires)
	}
}

// schedule makes sure a purge runs no later than at.
func (c *resourceCache) schedule(at time.Time) {
	if c.timer != nil && !at.Before(c.wake) {
		return
	}
	if c.timer != nil {
		c.timer.Stop()
	}
	c.wake = at
	c.timer = time.AfterFunc(at.Sub(c.now()), c.purge)
}

// close drops every answer and stops the timer; the instance is being disposed.
func (c *resourceCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.entries, c.bytes = map[string]*list.Element{}, 0
	c.order.Init()
}
