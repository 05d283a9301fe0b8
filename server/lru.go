package server

import (
	"container/list"
	"errors"
	"sync"
)

// errLoadPanicked is what waiters get when the load they waited for panicked.
var errLoadPanicked = errors.New("loading a cached value panicked")

// lru is a cache of values bounded by their total cost (an estimate of the
// bytes each holds), least recently used first out. A value is loaded once
// however many requests ask for it at the same time: the others wait for
// the first one's load rather than repeat it.
type lru[K comparable, V any] struct {
	mu      sync.Mutex
	budget  int
	used    int
	order   *list.List // of *lruEntry, most recently used at the front
	entries map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key   K
	value V
	cost  int
	err   error
	ready chan struct{} // closed once value, cost and err are set
	done  bool          // loaded and counted in used; guarded by lru.mu
}

func newLRU[K comparable, V any](budget int) *lru[K, V] {
	return &lru[K, V]{budget: budget, order: list.New(), entries: map[K]*list.Element{}}
}

// get returns the value of key, calling load for it when it is not cached.
// load returns the value and its cost; a failed load is not cached. A value
// costing more than the whole budget is returned but not kept.
func (c *lru[K, V]) get(key K, load func() (V, int, error)) (V, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		e := el.Value.(*lruEntry[K, V])
		c.mu.Unlock()
		<-e.ready
		return e.value, e.err
	}
	e := &lruEntry[K, V]{key: key, ready: make(chan struct{})}
	el := c.order.PushFront(e)
	c.entries[key] = el
	c.mu.Unlock()

	// The entry is released to its waiters even if load panics.
	loaded := false
	defer func() {
		if !loaded {
			c.mu.Lock()
			e.err = errLoadPanicked
			c.order.Remove(el)
			delete(c.entries, key)
			close(e.ready)
			c.mu.Unlock()
		}
	}()
	value, cost, err := load()
	loaded = true

	c.mu.Lock()
	defer c.mu.Unlock()
	e.value, e.cost, e.err = value, cost, err
	close(e.ready)
	if err != nil || cost > c.budget {
		c.order.Remove(el)
		delete(c.entries, key)
		return value, err
	}
	e.done = true
	c.used += cost
	for c.used > c.budget {
		c.evictOldest()
	}
	return value, err
}

// evictOldest drops the least recently used loaded entry; c.mu is held.
func (c *lru[K, V]) evictOldest() {
	for el := c.order.Back(); el != nil; el = el.Prev() {
		if e := el.Value.(*lruEntry[K, V]); e.done {
			c.order.Remove(el)
			delete(c.entries, e.key)
			c.used -= e.cost
			return
		}
	}
}

// len is the number of entries, loading ones included.
func (c *lru[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
