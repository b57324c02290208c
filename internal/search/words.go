package search

import (
	"encoding/binary"
	"iter"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
)

// wordIndex is the full-text index in memory: for every word of the index
// bodies, the products holding it and where it first appears. Each version
// of a product gets a new ordinal; the postings of its old ordinal stay but
// no longer count (see live), so an update only appends.
type wordIndex struct {
	postings map[string]*postings // word -> postings, ordinals ascending
	sorted   []string             // the words in order, for prefixes (sortWords after adds)
	ordID    []int64              // ordinal -> product id
	current  map[int64]uint32     // product id -> its live ordinal
	seen     map[*postings]bool   // add's words of one body, kept for the next
}

// postings are the products holding a word, packed: for each, the gap from
// the previous ordinal and the word's first position in the body (titles
// come first), both as uvarints. That is about 2.5 bytes a posting instead
// of 6 as two slices of numbers, and 190,000 products hold 12 million.
type postings struct {
	data []byte
	last uint32 // the last ordinal added
}

func (p *postings) add(ord uint32, pos int) {
	p.data = binary.AppendUvarint(p.data, uint64(ord-p.last))
	p.data = binary.AppendUvarint(p.data, uint64(min(pos, 65534)))
	p.last = ord
}

// all yields each posting's ordinal and first position, ordinals ascending.
func (p *postings) all() iter.Seq2[uint32, uint16] {
	return func(yield func(uint32, uint16) bool) {
		var ord uint32
		for b := p.data; len(b) > 0; {
			gap, n := binary.Uvarint(b)
			pos, m := binary.Uvarint(b[n:])
			b = b[n+m:]
			ord += uint32(gap)
			if !yield(ord, uint16(pos)) {
				return
			}
		}
	}
}

func newWordIndex() *wordIndex {
	return &wordIndex{postings: map[string]*postings{}, current: map[int64]uint32{}, seen: map[*postings]bool{}}
}

// compact trims every postings list to its length: appends leave up to
// twice the room, which a catalog of 190,000 products would pay in memory.
func (w *wordIndex) compact() {
	for _, p := range w.postings {
		p.data = slices.Clone(p.data)
	}
}

// add indexes product id's body (Normalize'd words and markers) under a
// new ordinal. Markers ("zz…") are facets, which Memory holds apart.
func (w *wordIndex) add(id int64, body string) {
	ord := uint32(len(w.ordID))
	w.ordID = append(w.ordID, id)
	w.current[id] = ord
	clear(w.seen) // one map for every body: a load adds 190,000
	pos := 0
	for word := range strings.FieldsSeq(body) {
		if strings.HasPrefix(word, "zz") {
			pos++
			continue
		}
		p := w.postings[word]
		if p == nil {
			p = &postings{}
			w.postings[strings.Clone(word)] = p // a substring would keep the whole body in memory
			w.sorted = nil
		}
		if !w.seen[p] {
			w.seen[p] = true
			p.add(ord, pos)
		}
		pos++
	}
}

// remove makes product id match nothing.
func (w *wordIndex) remove(id int64) { delete(w.current, id) }

// dead is how many ordinals no longer count.
func (w *wordIndex) dead() int { return len(w.ordID) - len(w.current) }

// bitmap is a set of ordinals.
type bitmap []uint64

func newBitmap(n int) bitmap       { return make(bitmap, (n+63)/64) }
func (b bitmap) set(i uint32)      { b[i/64] |= 1 << (i % 64) }
func (b bitmap) has(i uint32) bool { return int(i/64) < len(b) && b[i/64]&(1<<(i%64)) != 0 }
func (b bitmap) and(o bitmap) {
	for i := range b {
		b[i] &= o[i]
	}
}
func (b bitmap) empty() bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
func (b bitmap) count() int {
	n := 0
	for _, x := range b {
		n += bits.OnesCount64(x)
	}
	return n
}

// sortWords lists the words in order for prefix lookups, after adds;
// the caller holds Memory's write lock, so readers never build it.
func (w *wordIndex) sortWords() {
	if w.sorted != nil {
		return
	}
	w.sorted = make([]string, 0, len(w.postings))
	for word := range w.postings {
		w.sorted = append(w.sorted, word)
	}
	sort.Strings(w.sorted)
}

// words lists the index words a query term stands for: itself, or every
// word it begins when it is the query's last (typed as the visitor goes).
func (w *wordIndex) words(term string, prefix bool) []string {
	if !prefix {
		if _, ok := w.postings[term]; ok {
			return []string{term}
		}
		return nil
	}
	i := sort.SearchStrings(w.sorted, term)
	j := i
	for j < len(w.sorted) && strings.HasPrefix(w.sorted[j], term) {
		j++
	}
	return w.sorted[i:j]
}

// match returns the ordinals holding every term (the last as a prefix),
// ok false when a term is a marker word, which only the engine's index
// knows. Dead ordinals may be in the set: callers keep only the ordinals their products hold now.
func (w *wordIndex) match(terms []string) (bitmap, bool) {
	var acc bitmap
	for i, t := range terms {
		if strings.HasPrefix(t, "zz") {
			return nil, false
		}
		b := newBitmap(len(w.ordID))
		for _, word := range w.words(t, i == len(terms)-1) {
			for ord := range w.postings[word].all() {
				b.set(ord)
			}
		}
		if acc == nil {
			acc = b
		} else {
			acc.and(b)
		}
		if acc.empty() {
			break
		}
	}
	return acc, true
}

// ranking is the arrays by ordinal a ranked search fills: 1.1 MB at
// 190,000 products, reused rather than collected after every search.
type ranking struct {
	score []float32
	best  []uint16
}

var rankings sync.Pool // of *ranking

// scores rates the ordinals of hits for terms, indexed by ordinal: a word
// found early in the body (the titles come first) weighs more than one
// deep in a description. Give the ranking back with done once the scores
// are read.
func (w *wordIndex) scores(terms []string, hits bitmap) (scores []float32, done func()) {
	n := len(w.ordID)
	r, _ := rankings.Get().(*ranking)
	if r == nil || cap(r.score) < n {
		r = &ranking{score: make([]float32, n, n+n/8), best: make([]uint16, n, n+n/8)} // room for products added later
	}
	out, best := r.score[:n], r.best[:n]
	clear(out)
	for i, t := range terms {
		clear(best) // 0: not found; else first position + 1
		for _, word := range w.words(t, i == len(terms)-1) {
			p := w.postings[word]
			for ord, pos := range p.all() {
				if hits.has(ord) && (best[ord] == 0 || pos+1 < best[ord]) {
					best[ord] = pos + 1
				}
			}
		}
		for ord, b := range best {
			if b != 0 {
				out[ord] += 1 / float32(b)
			}
		}
	}
	return out, func() { rankings.Put(r) }
}

// scored is a match with its rank.
type scored struct {
	id    int64
	score float32
}

// better orders matches by score (highest first), ties newest first.
func better(a, b scored) bool { return a.score > b.score || (a.score == b.score && a.id > b.id) }

// top returns the first n of ms in the order of better, without sorting
// all of them: a broad search matches tens of thousands, a page shows 24.
func top(ms []scored, n int) []scored {
	if n >= len(ms)/4 {
		slices.SortFunc(ms, func(a, b scored) int {
			if better(a, b) {
				return -1
			}
			if better(b, a) {
				return 1
			}
			return 0
		})
		return ms[:min(n, len(ms))]
	}
	// A heap of the n best so far, worst at the root.
	h := make([]scored, 0, n)
	down := func(i int) {
		for {
			l, worst := 2*i+1, i
			if l < len(h) && better(h[worst], h[l]) {
				worst = l
			}
			if r := l + 1; r < len(h) && better(h[worst], h[r]) {
				worst = r
			}
			if worst == i {
				return
			}
			h[i], h[worst] = h[worst], h[i]
			i = worst
		}
	}
	for _, m := range ms {
		switch {
		case len(h) < n:
			h = append(h, m)
			for i := len(h) - 1; i > 0 && better(h[(i-1)/2], h[i]); i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
		case better(m, h[0]):
			h[0] = m
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b scored) int {
		if better(a, b) {
			return -1
		}
		return 1
	})
	return h
}
