package search

import (
	"cmp"
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"souk/internal/db"
)

// Memory is the catalog's index held in memory: for every product, its
// facet values, lowest price and the words of its index entry (postings,
// see wordIndex). Public listings — home, categories, books, facet
// drill-downs and searches — are answered from it alone: the count, the
// page in any order and every facet count, in one pass and no SQL. The
// engine's index (FTS5, tsvector) stays the source it is loaded from and
// answers when Memory is not loaded.
// catalog keeps it in step with its writes (Update) and reloads it when
// another node may have written (Load).
// Prices and values are kept by ordinal, as the words are (see wordIndex),
// in flat slices: a map of products each with its own slice of values,
// and a sorted copy of it, took three times the memory (30 MB at 190,000
// products). A product read again appends under its new ordinal; what its
// old ordinal held stays, unused, until the next Load.
type Memory struct {
	mu       sync.RWMutex
	ready    bool
	dict     map[string]uint32 // "facet\x00value" -> value id
	values   [][2]string       // value id -> facet, value
	price    []int64           // ordinal -> lowest price
	valStart []uint32          // ordinal -> its first value id in vals; one more than ordinals, the last len(vals)
	vals     []uint32          // every ordinal's value ids, in ordinal order
	order    []uint32          // live ordinals, highest (newest) product id first; nil when products changed
	words    *wordIndex
}

// NewMemory returns an empty Memory; Load fills it.
func NewMemory() *Memory {
	return &Memory{dict: map[string]uint32{}, valStart: []uint32{0}, words: newWordIndex()}
}

// valuesOf is the value ids of ordinal ord; the caller holds a lock.
func (m *Memory) valuesOf(ord uint32) []uint32 { return m.vals[m.valStart[ord]:m.valStart[ord+1]] }

// Ready reports whether Memory holds the catalog.
func (m *Memory) Ready() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.ready
}

// Stale reports whether updates left so many dead postings that a reload
// would save memory.
func (m *Memory) Stale() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	dead := m.words.dead()
	return dead > 10000 && dead > len(m.words.current)/2
}

// Len is how many products Memory holds.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.words.current)
}

// Load replaces what Memory holds with the whole index.
func (m *Memory) Load(ctx context.Context, r db.Querier) error {
	fresh := NewMemory()
	if err := fresh.read(ctx, r, nil); err != nil {
		return err
	}
	fresh.words.compact()
	fresh.price = slices.Clone(fresh.price) // trimmed too; read sized the values to fit
	m.mu.Lock()
	m.dict, m.values, m.words = fresh.dict, fresh.values, fresh.words
	m.price, m.valStart, m.vals, m.order, m.ready = fresh.price, fresh.valStart, fresh.vals, nil, true
	m.mu.Unlock()
	// Loading read every index entry's text once: give that memory back
	// now rather than at the next collections.
	debug.FreeOSMemory()
	return nil
}

// Update reloads products ids from the index (a product no longer indexed
// is dropped). It does nothing before Load.
func (m *Memory) Update(ctx context.Context, r db.Querier, ids []int64) error {
	if !m.Ready() || len(ids) == 0 {
		return nil
	}
	for start := 0; start < len(ids); start += 500 {
		if err := m.read(ctx, r, ids[start:min(start+500, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// read loads the words, facets and prices of ids (all products when ids is
// nil).
func (m *Memory) read(ctx context.Context, r db.Querier, ids []int64) (err error) {
	col := idColumn(r.Dialect())
	where, facetWhere := "", ""
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if ids != nil {
		where = ` WHERE ` + col + ` IN (` + db.Placeholders(len(ids)) + `)`
		facetWhere = ` WHERE product_id IN (` + db.Placeholders(len(ids)) + `)`
	}
	// Each body goes into the word index as it is read, in id order
	// (ordinals follow ids: postings stay sorted, loads repeatable), so a
	// full load never holds the 190,000 bodies at once: they were 140 MB of
	// a start-up's peak.
	rows, err := r.QueryContext(ctx, `SELECT `+col+`, price, body FROM search_index`+where+` ORDER BY `+col, args...)
	if err != nil {
		return fmt.Errorf("index in memory: %w", err)
	}
	defer rows.Close()
	m.mu.Lock()
	defer m.mu.Unlock()
	// The products read get new ordinals, from first on. After an error
	// those stay dead and the products keep the ordinals they had (was).
	first := uint32(len(m.words.ordID))
	was := make(map[int64]uint32, len(ids))
	for _, id := range ids {
		if ord, ok := m.words.current[id]; ok {
			was[id] = ord
		}
	}
	defer func() {
		if err != nil {
			m.undo(first, was)
		}
	}()
	for rows.Next() {
		var id, price int64
		var body string
		if err := rows.Scan(&id, &price, &body); err != nil {
			return fmt.Errorf("index in memory: %w", err)
		}
		m.words.add(id, body)
		m.price = append(m.price, price)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index in memory: %w", err)
	}
	rows.Close()
	// Rows of their own: a failed query's nil rows must not reach the
	// deferred Close above.
	facetRows, err := r.QueryContext(ctx, `SELECT product_id, facet, value FROM search_facets`+facetWhere, args...)
	if err != nil {
		return fmt.Errorf("index in memory: %w", err)
	}
	defer facetRows.Close()
	// A product's facet rows come in any order: gathered as pairs first
	// (8 bytes a row, dropped after), then laid out one ordinal after the
	// other.
	var got []ordValue
	for facetRows.Next() {
		var id int64
		var facet, value string
		if err := facetRows.Scan(&id, &facet, &value); err != nil {
			return fmt.Errorf("index in memory: %w", err)
		}
		ord, ok := m.words.current[id]
		if !ok || ord < first {
			continue // written between the two reads; the next Update brings it
		}
		got = append(got, ordValue{ord, m.valueID(facet, value)})
	}
	if err := facetRows.Err(); err != nil {
		return fmt.Errorf("index in memory: %w", err)
	}
	m.appendValues(first, got)
	for _, id := range ids {
		if ord, ok := m.words.current[id]; ok && ord < first { // not read: no longer indexed
			m.words.remove(id)
		}
	}
	m.words.sortWords()
	m.order = nil
	return nil
}

// ordValue is a value id of an ordinal.
type ordValue struct{ ord, val uint32 }

// appendValues lays out the value ids of the ordinals from first on, read
// as got, each ordinal's together; the caller holds the write lock.
func (m *Memory) appendValues(first uint32, got []ordValue) {
	end := uint32(len(m.words.ordID))
	m.valStart = slices.Grow(m.valStart, int(end-first))[:end+1]
	clear(m.valStart[first+1:])
	// valStart[ord+1] counts ord's values, then, summed, is where they end.
	for _, g := range got {
		m.valStart[g.ord+1]++
	}
	for ord := first + 1; ord <= end; ord++ {
		m.valStart[ord] += m.valStart[ord-1]
	}
	next := slices.Clone(m.valStart[first:end]) // where each ordinal's next value goes
	n := len(m.vals)
	m.vals = slices.Grow(m.vals, len(got))[:n+len(got)]
	for _, g := range got {
		m.vals[next[g.ord-first]] = g.val
		next[g.ord-first]++
	}
}

// undo makes the ordinals from first dead after a failed read: their
// products keep the ordinals they had before (was), or are dropped. The
// caller holds the write lock.
func (m *Memory) undo(first uint32, was map[int64]uint32) {
	for ord := first; ord < uint32(len(m.words.ordID)); ord++ {
		id := m.words.ordID[ord]
		if prev, ok := was[id]; ok {
			m.words.current[id] = prev
		} else {
			m.words.remove(id)
		}
	}
	for len(m.valStart) <= len(m.words.ordID) { // no values
		m.valStart = append(m.valStart, uint32(len(m.vals)))
	}
	m.words.sortWords()
	m.order = nil
}

// valueID interns a facet value; the caller holds the write lock.
func (m *Memory) valueID(facet, value string) uint32 {
	key := facet + "\x00" + value
	if id, ok := m.dict[key]; ok {
		return id
	}
	id := uint32(len(m.values))
	m.dict[key] = id
	m.values = append(m.values, [2]string{facet, value})
	return id
}

// filter is a Query as value ids: every one of need, none of avoid.
type filter struct {
	need, avoid []uint32
	none        bool // a value no product has: nothing matches
}

// filterOf turns the facts of q into value ids; the caller holds a lock.
func (m *Memory) filterOf(q Query) filter {
	var f filter
	need := func(facet, value string) {
		if value == "" {
			return
		}
		id, ok := m.dict[facet+"\x00"+value]
		if !ok {
			f.none = true
		}
		f.need = append(f.need, id)
	}
	if q.PublishedOnly {
		need(facetVisible, "published")
	}
	if q.VendorID != 0 {
		need(facetVendor, strconv.FormatInt(q.VendorID, 10))
	}
	if q.CategoryID != 0 {
		need(FacetCategory, strconv.FormatInt(q.CategoryID, 10))
	}
	need(FacetRegion, q.Region)
	need(FacetKind, q.Kind)
	need(FacetCertification, q.Certification)
	need(FacetPrice, q.PriceBand)
	need(FacetLanguage, q.Language)
	need(FacetAuthor, q.Author)
	need(FacetPublisher, q.Publisher)
	for _, v := range q.ExcludeVendors {
		if id, ok := m.dict[facetVendor+"\x00"+strconv.FormatInt(v, 10)]; ok {
			f.avoid = append(f.avoid, id)
		}
	}
	return f
}

func (f filter) matches(vals []uint32) bool {
	for _, n := range f.need {
		if !slices.Contains(vals, n) {
			return false
		}
	}
	for _, a := range f.avoid {
		if slices.Contains(vals, a) {
			return false
		}
	}
	return true
}

// List answers a listing: the ids of one page in the order asked, the
// total, and facet counts when facets is true. Words match as in the
// engine's index (every word, the last as a prefix); relevance ranks a
// word found early (in a title) above one deep in a description. ok is
// false when Memory cannot answer (not loaded, or a word the engine alone
// knows).
func (m *Memory) List(q Query, sort Sort, limit, offset int, facets bool) (ids []int64, total int, counts map[string][]Count, ok bool) {
	if !m.rlockOrdered() {
		return nil, 0, nil, false
	}
	defer m.mu.RUnlock()
	f := m.filterOf(q)
	if f.none {
		return nil, 0, map[string][]Count{}, true
	}
	terms := Terms(q.Text)
	var hits bitmap
	if len(terms) > 0 {
		if hits, ok = m.words.match(terms); !ok {
			return nil, 0, nil, false
		}
		if hits.empty() {
			return nil, 0, map[string][]Count{}, true
		}
	}
	ranked := sort == Relevance && hits != nil
	var tally []int
	if facets {
		tally = make([]int, len(m.values))
	}
	type hit struct {
		id, price int64
	}
	var priced []hit
	var rank []float32
	var all []scored // every match, when they must be ranked
	if ranked {
		var done func()
		rank, done = m.words.scores(terms, hits)
		defer done()
	}
	for _, ord := range m.order {
		vals := m.valuesOf(ord)
		if (hits != nil && !hits.has(ord)) || !f.matches(vals) {
			continue
		}
		total++
		if tally != nil {
			for _, v := range vals {
				tally[v]++
			}
		}
		switch {
		case ranked:
			all = append(all, scored{m.words.ordID[ord], rank[ord]})
		case sort == PriceAsc || sort == PriceDesc:
			priced = append(priced, hit{m.words.ordID[ord], m.price[ord]})
		case total > offset && len(ids) < limit:
			ids = append(ids, m.words.ordID[ord]) // newest first: the order of m.order
		}
	}
	if priced != nil {
		slices.SortStableFunc(priced, func(a, b hit) int { // stable: ties stay newest first
			if sort == PriceDesc {
				return cmp.Compare(b.price, a.price)
			}
			return cmp.Compare(a.price, b.price)
		})
		for i := offset; i < len(priced) && len(ids) < limit; i++ {
			ids = append(ids, priced[i].id)
		}
	}
	if ranked {
		best := top(all, offset+limit)
		for i := offset; i < len(best); i++ {
			ids = append(ids, best[i].id)
		}
	}
	if facets {
		counts = m.counts(tally)
	}
	return ids, total, counts, true
}

// rlockOrdered takes the read lock with the products in order, building
// the order first if writes dropped it; false (and no lock) before Load.
func (m *Memory) rlockOrdered() bool {
	for {
		m.mu.RLock()
		switch {
		case !m.ready:
			m.mu.RUnlock()
			return false
		case m.order != nil:
			return true
		}
		m.mu.RUnlock()
		m.mu.Lock()
		if m.order == nil && m.ready {
			// Ordinals follow ids but for products updated since the
			// Load: from the last, they are nearly in order already.
			ids := m.words.ordID
			m.order = make([]uint32, 0, len(m.words.current))
			for ord := len(ids) - 1; ord >= 0; ord-- {
				if cur, ok := m.words.current[ids[ord]]; ok && cur == uint32(ord) {
					m.order = append(m.order, uint32(ord))
				}
			}
			slices.SortFunc(m.order, func(a, b uint32) int { return cmp.Compare(ids[b], ids[a]) })
		}
		m.mu.Unlock()
	}
}

// counts turns a tally by value id into public facet counts; the caller
// holds a lock.
func (m *Memory) counts(tally []int) map[string][]Count {
	out := map[string][]Count{}
	for id, n := range tally {
		if n == 0 {
			continue
		}
		facet, value := m.values[id][0], m.values[id][1]
		if internalFacet(facet) {
			continue
		}
		out[facet] = append(out[facet], Count{Value: value, N: n})
	}
	for _, cs := range out {
		sortCounts(cs)
	}
	return out
}

func internalFacet(facet string) bool { return strings.HasPrefix(facet, "_") }
