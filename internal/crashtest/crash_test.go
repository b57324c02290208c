package crashtest

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/vendor"
)

// plan is a run's size and the seed of its random choices.
type plan struct {
	kills  int // SIGKILLs per database
	buyers int // concurrent clients
	seed   uint64
}

// readPlan: 5 kills per database unless SOUK_CRASH_KILLS says otherwise
// (and -short keeps 5); SOUK_CRASH_SEED replays a run's choices (what each
// buyer buys, how, which payments are declined, when souk is killed).
func readPlan(t *testing.T) plan {
	p := plan{kills: 5, buyers: 16, seed: mrand.Uint64()}
	if v := os.Getenv("SOUK_CRASH_KILLS"); v != "" && !testing.Short() {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("SOUK_CRASH_KILLS=%q: want a whole number of kills, at least 1", v)
		}
		p.kills = n
	}
	if v := os.Getenv("SOUK_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("SOUK_CRASH_SEED=%q: want a whole number", v)
		}
		p.seed = n
	}
	return p
}

// Checkout load against the real souk binary, killed with SIGKILL at
// random moments and restarted on the same database: afterwards every
// order a client was told of exists once with its lines and its stock
// taken, no stock is held without an order, every card callback souk
// acknowledged is in the payment and the ledger once, and `souk ledger
// check` passes.
func TestNoOrderLostWhenKilled(t *testing.T) {
	p := readPlan(t)
	t.Logf("replay with SOUK_CRASH_KILLS=%d SOUK_CRASH_SEED=%d", p.kills, p.seed)
	bin := buildSouk(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) { crash(t, bin, d, p) })
}

func crash(t *testing.T, bin string, d *db.DB, p plan) {
	began := time.Now()
	s := openShop(t, d, max(1, p.kills/5))
	n := newNode(t, bin, dbtest.Flags(t, d))
	rec := newRecord()
	rec.epoch.Store(1)
	n.start()
	c := &client{base: n.URL, token: s.token, rec: rec,
		http: &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: p.buyers}}}

	ctx, abort := context.WithCancel(context.Background())
	var stop atomic.Bool
	var wg sync.WaitGroup
	failed := make(chan error, p.buyers)
	for i := range p.buyers {
		b := &buyer{c: c, shop: s, rnd: mrand.New(mrand.NewPCG(p.seed, uint64(i)))}
		wg.Go(func() {
			if err := b.run(ctx, &stop); err != nil {
				failed <- err
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	defer func() { abort(); <-done }() // a fatal failure below stops the buyers first

	killer := mrand.New(mrand.NewPCG(p.seed, 1<<32))
	var down, longest time.Duration // from SIGKILL to /healthz answering again
	for range p.kills {
		time.Sleep(200*time.Millisecond + time.Duration(killer.Int64N(int64(1300*time.Millisecond))))
		rec.cutAtKill += rec.inflight.Load()
		killed := time.Now()
		n.kill()
		rec.epoch.Add(1)
		n.start()
		took := time.Since(killed)
		down, longest = down+took, max(longest, took)
	}
	// Load on the last start too: a second, and at least one order.
	for end := time.Now().Add(30 * time.Second); ; {
		time.Sleep(time.Second)
		if rec.latest.Load() == int64(n.starts) || time.Now().After(end) {
			break
		}
	}
	stop.Store(true)
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the buyers did not finish within a minute of the last restart")
	}
	close(failed)
	for err := range failed {
		t.Error(err)
	}
	loaded := time.Since(began)
	check(t, d, n, c, s, rec)
	logged := n.errorLines()
	for _, l := range logged[:min(len(logged), 10)] {
		t.Log("souk logged:", l)
	}
	if len(logged) > 10 {
		t.Logf("souk logged %d more errors", len(logged)-10)
	}
	t.Logf("%s: %d kills, %d orders (%d cash, %d card: %d approved, %d declined), %d cancelled; "+
		"%d checkouts cut by a kill, %d answered by replay (200), %d refused for stock; "+
		"%d callbacks sent twice; %d requests resent after a dead connection, %d 5xx; %d carts; "+
		"back up %s after a kill on average (longest %s); load %s, whole run %s",
		d.Dialect, p.kills, len(rec.orders), rec.count("cod"), rec.count("cmi"), rec.approved.Load(), rec.declined.Load(),
		rec.cancels.Load(), rec.cutAtKill, rec.replayed.Load(), rec.soldOut.Load(), rec.cbReplays.Load(),
		rec.interrupted.Load(), rec.server5xx.Load(), rec.carts.Load(), (down / time.Duration(p.kills)).Round(time.Millisecond),
		longest.Round(time.Millisecond), loaded.Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
}

// count is how many orders the clients placed paying by method.
func (r *record) count(method string) int {
	n := 0
	for _, o := range r.orders {
		if o.method == method {
			n++
		}
	}
	return n
}

// sku is every test product's one variant.
const sku = "STD"

// product is one product of the test's shop.
type product struct {
	id      int64
	slug    string
	variant int64
	stock   int // at the start
}

// shop is what the test seeded, and an operator's API token.
type shop struct {
	products  []product
	byProduct map[int64]product
	token     string
}

// openShop seeds, before souk starts, two approved cooperatives and six
// products with limited stock (two scarce ones sell out early; the others
// are scaled with the run's length), and signs an operator in.
func openShop(t *testing.T, d *db.DB, scale int) *shop {
	t.Helper()
	ctx := context.Background()
	users := auth.NewService(d, auth.Config{}, nil)
	const email, password = "ops@crash.test", "crash-test-password"
	op, err := users.CreateUser(ctx, auth.NewUser{Email: email, Name: "Ops", Password: password, Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	sess, _, err := users.Login(ctx, email, password, "127.0.0.1", "crashtest")
	if err != nil {
		t.Fatal(err)
	}
	s := &shop{byProduct: map[int64]product{}, token: sess.Token}
	vendors := vendor.NewService(d, nil)
	products := catalog.NewService(d, nil)
	for i, in := range []vendor.Input{
		{Slug: "amlou-souss", Kind: vendor.Cooperative, LegalName: "Coopérative Amlou Souss", Region: "souss-massa", City: "Agadir", CooperativeNumber: "2010/7"},
		{Slug: "tapis-atlas", Kind: vendor.Cooperative, LegalName: "Coopérative Tapis Atlas", Region: "beni-mellal-khenifra", City: "Azilal", CooperativeNumber: "2012/3"},
	} {
		in.Texts = map[string]vendor.Texts{"fr": {DisplayName: in.LegalName}}
		v, err := vendors.Create(ctx, op, in, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		for j, stock := range []int{1000 * scale, 600 * scale, 20 + 10*i} {
			p, err := products.Create(ctx, op, v.ID, catalog.Input{
				Category: []string{"amlou-honey", "rugs-textiles"}[i], Status: catalog.Published,
				Texts:    map[string]catalog.Texts{"fr": {Title: fmt.Sprintf("Produit %d-%d", i, j)}},
				Variants: []catalog.Variant{{SKU: sku, Price: money.Dirhams(int64(6000 + 4500*j)), Stock: stock, WeightGrams: 400}},
			})
			if err != nil {
				t.Fatal(err)
			}
			x := product{id: p.ID, slug: p.Slug, variant: p.Variants[0].ID, stock: stock}
			s.products = append(s.products, x)
			s.byProduct[p.ID] = x
		}
	}
	return s
}
