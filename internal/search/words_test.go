package search

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// top gives the same first n as sorting everything, heap or not.
func TestTopMatchesAFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 5, 100, 5000} {
		ms := make([]scored, size)
		for i := range ms {
			ms[i] = scored{id: int64(i + 1), score: float32(rng.IntN(20)) / 4} // many ties
		}
		want := slices.Clone(ms)
		slices.SortFunc(want, func(a, b scored) int {
			if better(a, b) {
				return -1
			}
			return 1
		})
		for _, n := range []int{1, 24, 48, size} {
			got := top(slices.Clone(ms), n)
			if !slices.Equal(got, want[:min(n, size)]) {
				t.Fatalf("size %d, n %d: top differs from a full sort", size, n)
			}
		}
	}
}

// Words match whole, the last of a query as a prefix; an update replaces
// a product's words; a removed product matches nothing.
func TestWordIndex(t *testing.T) {
	w := newWordIndex()
	w.add(1, Normalize("Huile d’argan pressée à froid")+" zzpub zzv1")
	w.add(2, Normalize("Amlou à l’huile d’argan et aux amandes"))
	w.add(3, Normalize("Tapis de Taznakht"))
	w.sortWords()
	live := func(terms ...string) []int64 {
		b, ok := w.match(terms)
		if !ok {
			t.Fatalf("%v: not answerable", terms)
		}
		var ids []int64
		for ord := range w.ordID {
			if cur, ok := w.current[w.ordID[ord]]; b.has(uint32(ord)) && ok && cur == uint32(ord) {
				ids = append(ids, w.ordID[ord])
			}
		}
		return ids
	}
	for _, c := range []struct {
		terms []string
		want  []int64
	}{
		{[]string{"argan"}, []int64{1, 2}},
		{[]string{"huile", "arg"}, []int64{1, 2}},
		{[]string{"arg", "huile"}, nil}, // only the last word is a prefix
		{[]string{"taz"}, []int64{3}},
		{[]string{"amlou", "tapis"}, nil},
	} {
		if got := live(c.terms...); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.terms, got, c.want)
		}
	}
	if _, ok := w.match([]string{"zzpub"}); ok {
		t.Error("a marker word is answered from memory")
	}
	w.add(1, Normalize("Miel de thym"))
	w.remove(3)
	w.sortWords()
	if got := live("argan"); !slices.Equal(got, []int64{2}) {
		t.Errorf("after an update: %v", got)
	}
	if got := live("taz"); got != nil {
		t.Errorf("a removed product still matches: %v", got)
	}
	if w.dead() != 2 {
		t.Errorf("dead ordinals: %d, want 2", w.dead())
	}
	hits, _ := w.match([]string{"huile"})
	s, done := w.scores([]string{"huile"}, hits)
	if !(s[w.current[2]] > 0) {
		t.Errorf("scores: %v", s)
	}
	// A ranking given back and reused holds nothing of the search before.
	first := slices.Clone(s)
	done()
	all := newBitmap(len(w.ordID))
	for ord := range w.ordID {
		all.set(uint32(ord))
	}
	_, done = w.scores([]string{"argan", "taz"}, all)
	done()
	again, done := w.scores([]string{"huile"}, hits)
	defer done()
	if !slices.Equal(again, first) {
		t.Errorf("scores after a reuse: %v, first %v", again, first)
	}
}
