package plugin

import (
	"sync"
	"time"
)

// resourceCache keeps resource answers briefly: dropdowns and pages ask the same questions many
// times a minute, and Prometheus should not pay for each. Bounded in entries; oldest out first.
type resourceCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
	order   []string
	max     int
}

type cacheEntry struct {
	body    []byte
	expires time.Time
}

func newResourceCache(max int) *resourceCache {
	return &resourceCache{entries: map[string]cacheEntry{}, max: max}
}

func (c *resourceCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || time.Now().After(e.expires) {
		return nil, false
	}
	return e.body, true
}

func (c *resourceCache) put(key string, body []byte, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok {
		c.order = append(c.order, key)
	}
	c.entries[key] = cacheEntry{body: body, expires: time.Now().Add(ttl)}
	for len(c.order) > c.max {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}
