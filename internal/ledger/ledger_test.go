package ledger_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/errs"
	"souk/internal/ledger"
	"souk/internal/vendor"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// book is a database with an admin and two approved vendors.
type book struct {
	d       *db.DB
	admin   auth.User
	vendors []int64
	ledger  *ledger.Service
	now     time.Time
}

func newBook(t *testing.T, d *db.DB) *book {
	t.Helper()
	ctx := context.Background()
	b := &book{d: d, now: t0}
	clock := func() time.Time { return b.now }
	a := auth.NewService(d, auth.Config{}, clock)
	admin, err := a.CreateUser(ctx, auth.NewUser{Email: "admin@souk.test", Name: "Admin", Password: "correct horse battery", Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	b.admin = admin
	for _, in := range []vendor.Input{
		{Slug: "amlou-souss", Kind: vendor.Cooperative, LegalName: "Coopérative Amlou Souss", Region: "souss-massa", City: "Agadir", CooperativeNumber: "2010/7"},
		{Slug: "dar-kitab", Kind: vendor.Publisher, LegalName: "Dar Kitab", Region: "casablanca-settat", City: "Casablanca", ICE: "001234567000089"},
	} {
		in.Texts = map[string]vendor.Texts{"fr": {DisplayName: in.LegalName}}
		v, err := vendor.NewService(d, clock).Create(ctx, admin, in, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		b.vendors = append(b.vendors, v.ID)
	}
	b.ledger = ledger.NewService(d, clock)
	return b
}

func (b *book) post(t *testing.T, tr ledger.Transaction) bool {
	t.Helper()
	var posted bool
	err := b.d.Tx(context.Background(), func(tx db.Querier) error {
		var err error
		posted, err = ledger.Post(context.Background(), tx, tr)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return posted
}

func (b *book) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := b.d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPostBalancedOnceAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		ctx := context.Background()
		v := b.vendors[0]
		sale := ledger.Sale{VendorID: v, Currency: "MAD", Items: 20000, Shipping: 3500, Commission: 2000, Carrier: "amana", Paid: ledger.Clearing("cmi")}
		tr := ledger.Transaction{Kind: "payment.captured", Reference: "S1", Document: "S1", At: t0, Entries: sale.Entries()}
		if !b.post(t, tr) {
			t.Fatal("first post: not posted")
		}
		if b.post(t, tr) {
			t.Fatal("a retried event posted twice")
		}
		if n := b.count(t, "ledger_transactions"); n != 1 {
			t.Fatalf("%d transactions, want 1", n)
		}
		// Unbalanced, malformed: an error, nothing written.
		for name, bad := range map[string][]ledger.Entry{
			"unbalanced":       {{Account: "bank", Amount: 100, Currency: "MAD"}, {Account: "refunds:owed", Amount: -99, Currency: "MAD"}},
			"unbalanced in €":  {{Account: "bank", Amount: 100, Currency: "MAD"}, {Account: "refunds:owed", Amount: -100, Currency: "EUR"}},
			"payable, no one":  {{Account: "bank", Amount: 100, Currency: "MAD"}, {Account: ledger.VendorUndelivered, Amount: -100, Currency: "MAD"}},
			"payable, no date": {{Account: "bank", Amount: 100, Currency: "MAD"}, {Account: ledger.VendorPayable, VendorID: v, Amount: -100, Currency: "MAD"}},
			"bad account":      {{Account: "Bank!", Amount: 100, Currency: "MAD"}, {Account: "bank", Amount: -100, Currency: "MAD"}},
			"bad currency":     {{Account: "bank", Amount: 100, Currency: "mad"}, {Account: "refunds:owed", Amount: -100, Currency: "mad"}},
		} {
			err := d.Tx(ctx, func(tx db.Querier) error {
				_, err := ledger.Post(ctx, tx, ledger.Transaction{Kind: "test", Reference: name, At: t0, Entries: bad})
				return err
			})
			if err == nil {
				t.Errorf("%s: posted", name)
			}
			if name == "unbalanced" && !errors.Is(err, ledger.ErrUnbalanced) {
				t.Errorf("unbalanced: %v", err)
			}
		}
		if n := b.count(t, "ledger_transactions"); n != 1 || b.count(t, "ledger_entries") != 5 {
			t.Fatalf("%d transactions, %d entries after refused posts", n, b.count(t, "ledger_entries"))
		}
		// Entries on the same key are added up; zeros left out.
		b.post(t, ledger.Transaction{Kind: "test", Reference: "merge", At: t0, Entries: []ledger.Entry{
			{Account: "bank", Amount: 60, Currency: "MAD"}, {Account: "bank", Amount: 40, Currency: "MAD"},
			{Account: "refunds:owed", Amount: 0, Currency: "MAD"}, {Account: "refunds:owed", Amount: -100, Currency: "MAD"}}})
		if n := b.count(t, "ledger_entries"); n != 7 {
			t.Errorf("%d entries, want 7 (two merged into one, a zero left out)", n)
		}
		// The database refuses to change or delete what was posted.
		for _, q := range []string{`UPDATE ledger_entries SET amount = amount + 1`, `DELETE FROM ledger_entries`,
			`UPDATE ledger_transactions SET reference = 'x'`, `DELETE FROM ledger_transactions`,
			`UPDATE commission_rules SET rate_bp = 0`, `DELETE FROM commission_rules`} {
			if err := d.Tx(ctx, func(tx db.Querier) error { _, err := tx.ExecContext(ctx, q); return err }); err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
		tb, err := b.ledger.TrialBalance(ctx, b.admin)
		if err != nil || !tb.Balanced() || len(tb.Accounts) != 7 {
			t.Fatalf("trial balance %+v %v", tb, err)
		}
		if ids, err := ledger.Unbalanced(ctx, d.Read()); err != nil || len(ids) != 0 {
			t.Errorf("unbalanced transactions %v %v", ids, err)
		}
		if _, err := b.ledger.TrialBalance(ctx, auth.User{ID: 9, Role: auth.RoleVendorOwner, VendorID: v}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a vendor reads the trial balance: %v", err)
		}
	})
}

// TestAllocate: the shares add up to the total, each within one unit of its
// exact proportion, never above its weight — seeded, the seed printed.
func TestAllocate(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range 5000 {
		weights := make([]int64, 1+rng.IntN(8))
		var sum int64
		for j := range weights {
			weights[j] = rng.Int64N(1_000_000_00)
			if rng.IntN(5) == 0 {
				weights[j] = rng.Int64N(3)
			}
			sum += weights[j]
		}
		if sum == 0 {
			continue
		}
		total := rng.Int64N(sum + 1)
		shares := ledger.Allocate(total, weights)
		var got int64
		for j, s := range shares {
			got += s
			exact := float64(total) * float64(weights[j]) / float64(sum)
			if float64(s) < exact-1.0001 || float64(s) > exact+1.0001 || s > weights[j] || s < 0 {
				t.Fatalf("seed %d case %d: share %d of %d for weight %d of %d (exact %.2f)", seed, i, s, total, weights[j], sum, exact)
			}
		}
		if got != total {
			t.Fatalf("seed %d case %d: shares add up to %d, want %d (%v of %v)", seed, i, got, total, shares, weights)
		}
	}
	if got := ledger.Allocate(10, []int64{1, 1, 1}); got[0] != 4 || got[1] != 3 || got[2] != 3 {
		t.Errorf("ties go to the first: %v", got)
	}
}

func TestSaleBookingBalancesAndReverses(t *testing.T) {
	due := t0.Add(72 * time.Hour)
	s := ledger.Sale{VendorID: 7, Currency: "MAD", Items: 30000, Shipping: 4100, Commission: 3000, Carrier: "amana", Paid: ledger.COD("amana")}
	var lines []ledger.Line
	add := func(es []ledger.Entry) {
		var sum int64
		for _, e := range es {
			sum += e.Amount
			found := false
			for i := range lines {
				if lines[i].Account == e.Account && lines[i].VendorID == e.VendorID && lines[i].DueAt.Equal(e.DueAt) {
					lines[i].Amount += e.Amount
					found = true
				}
			}
			if !found {
				lines = append(lines, ledger.Line{Account: e.Account, VendorID: e.VendorID, Currency: e.Currency, DueAt: e.DueAt, Amount: e.Amount})
			}
		}
		if sum != 0 {
			t.Fatalf("entries sum to %d: %+v", sum, es)
		}
	}
	balance := func(account string) int64 {
		var n int64
		for _, l := range lines {
			if l.Account == account {
				n += l.Amount
			}
		}
		return n
	}
	add(s.Entries())
	if balance(ledger.VendorUndelivered) != -27000 || balance(ledger.CommissionRevenue)+balance(ledger.CommissionVAT) != -3000 ||
		balance(ledger.CommissionVAT) != -500 || balance("shipping:amana") != -4100 || balance("cod:amana") != 34100 {
		t.Fatalf("sale: %+v", lines)
	}
	add(ledger.Deliver(lines, 7, due))
	if balance(ledger.VendorUndelivered) != 0 || balance(ledger.VendorPayable) != -27000 {
		t.Fatalf("delivered: %+v", lines)
	}
	refund, err := ledger.Refund(lines, "MAD", 3410, ledger.Bank) // a tenth of the parcel
	if err != nil {
		t.Fatal(err)
	}
	add(refund)
	if balance(ledger.VendorPayable) != -24300 || balance("shipping:amana") != -3690 || balance(ledger.Bank) != -3410 {
		t.Fatalf("a tenth refunded: %+v", lines)
	}
	add(ledger.TakeBack(lines, 7, false)) // returned: the carrier keeps its fee
	if balance(ledger.VendorPayable) != 0 || balance(ledger.CommissionRevenue) != 0 || balance(ledger.RefundsOwed) != -(24300+2700) {
		t.Fatalf("returned: %+v", lines)
	}
	if _, err := ledger.Refund(lines, "MAD", 27000+3690+1, ledger.Bank); !errors.Is(err, ledger.ErrRefundTooLarge) {
		t.Fatalf("refund beyond the sale: %v", err)
	}
	refund, err = ledger.Refund(lines, "MAD", 27000+100, ledger.Bank) // what is owed, and 1 MAD of the shipping
	if err != nil {
		t.Fatal(err)
	}
	add(refund)
	if balance(ledger.RefundsOwed) != 0 || balance("shipping:amana") != -3590 {
		t.Fatalf("refunded: %+v", lines)
	}
}

func TestDueAtKeepsCasablancaClock(t *testing.T) {
	// Every hour of 2026: 72 h later is the same time on the clock three
	// calendar days on; across the clock change of Ramadan that is 71 or
	// 73 hours of real time.
	odd := 0
	for h := 0; h < 365*24; h++ {
		from := time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
		due := ledger.DueAt(from, 72)
		l, d := from.In(ledger.Casablanca), due.In(ledger.Casablanca)
		if d.Hour() != l.Hour() && d.Sub(from) != 72*time.Hour { // a time that does not exist that day is skipped
			t.Fatalf("%s + 72 h = %s", l, d)
		}
		if want := l.AddDate(0, 0, 3); d.YearDay() != want.YearDay() {
			t.Fatalf("%s + 72 h = %s, not three days on", l, d)
		}
		if d.Sub(from) != 72*time.Hour {
			odd++
		}
		if due10 := ledger.DueAt(from, 240).In(ledger.Casablanca); due10.YearDay() != l.AddDate(0, 0, 10).YearDay() {
			t.Fatalf("%s + 240 h = %s", l, due10)
		}
	}
	if odd == 0 {
		t.Error("no clock change in 2026: is the time zone database embedded?")
	}
}

func TestCommissionRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		ctx := context.Background()
		cat := func(slug string) int64 {
			var id int64
			if err := d.Read().QueryRowContext(ctx, `SELECT id FROM categories WHERE slug = ?`, slug).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		honey, food, rugs := cat("amlou-honey"), cat("food"), cat("rugs-textiles")
		rate := func(kind string, category int64, channel string, at time.Time) int {
			t.Helper()
			r, err := ledger.CommissionRate(ctx, d.Read(), kind, category, channel, at)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := rate("artisan", rugs, "web", t0); r != ledger.DefaultRateBP {
			t.Fatalf("default %d", r)
		}
		set := func(r ledger.Rule) ledger.Rule {
			t.Helper()
			got, err := b.ledger.SetCommissionRule(ctx, b.admin, r)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		// Refused: not an admin, out of range, unknown kind, category or
		// channel, a start in the past. Nothing written.
		before := b.count(t, "commission_rules")
		moderator := auth.User{ID: 99, Role: auth.RoleModerator}
		if _, err := b.ledger.SetCommissionRule(ctx, moderator, ledger.Rule{RateBP: 0}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a moderator sets a rule: %v", err)
		}
		for field, r := range map[string]ledger.Rule{
			"rate_bp":        {RateBP: 10001},
			"vendor_kind":    {VendorKind: "bank", RateBP: 0},
			"category_id":    {CategoryID: 999999, RateBP: 0},
			"channel":        {Channel: "moon", RateBP: 0},
			"effective_from": {RateBP: 0, EffectiveFrom: t0.Add(-time.Hour)},
		} {
			_, err := b.ledger.SetCommissionRule(ctx, b.admin, r)
			var e *errs.Error
			if !errors.As(err, &e) || e.Fields[field] == "" {
				t.Errorf("%s: %v", field, err)
			}
		}
		if n := b.count(t, "commission_rules"); n != before {
			t.Fatalf("refused rules wrote %d rows", n-before)
		}
		// The solidarity programme: cooperatives pay nothing from tomorrow.
		tomorrow := t0.Add(24 * time.Hour)
		set(ledger.Rule{VendorKind: "cooperative", RateBP: 0, EffectiveFrom: tomorrow, Note: "solidarity programme"})
		set(ledger.Rule{CategoryID: food, RateBP: 800})
		set(ledger.Rule{CategoryID: honey, RateBP: 700})
		set(ledger.Rule{Channel: "supermarket", RateBP: 1500})
		set(ledger.Rule{VendorKind: "artisan", Channel: "supermarket", RateBP: 1200})
		set(ledger.Rule{VendorKind: "artisan", CategoryID: rugs, Channel: "supermarket", RateBP: 1100})
		for _, c := range []struct {
			kind     string
			category int64
			channel  string
			at       time.Time
			want     int
		}{
			{"cooperative", honey, "web", t0, 700},                // the nearest category
			{"cooperative", cat("argan-oil"), "web", t0, 800},     // its parent's rule
			{"cooperative", honey, "web", tomorrow, 0},            // vendor kind before category
			{"cooperative", honey, "web", t0.Add(time.Hour), 700}, // not yet
			{"exporter", rugs, "supermarket", t0, 1500},           // channel
			{"exporter", food, "supermarket", t0, 800},            // category before channel
			{"artisan", food, "supermarket", t0, 1200},            // two named beat one
			{"artisan", rugs, "supermarket", t0, 1100},            // three beat two
			{"artisan", 0, "web", t0, ledger.DefaultRateBP},       // unknown category
		} {
			if got := rate(c.kind, c.category, c.channel, c.at); got != c.want {
				t.Errorf("%s/%d/%s at %s: %d, want %d", c.kind, c.category, c.channel, c.at, got, c.want)
			}
		}
		// Later, a new rate for the same key: history keeps the old one.
		b.now = t0.Add(48 * time.Hour)
		set(ledger.Rule{CategoryID: honey, RateBP: 650})
		if r := rate("exporter", honey, "web", t0); r != 700 {
			t.Errorf("the past changed: %d", r)
		}
		if r := rate("exporter", honey, "web", b.now); r != 650 {
			t.Errorf("the new rate: %d", r)
		}
		rules, err := b.ledger.CommissionRules(ctx, b.admin)
		if err != nil || len(rules) != before+7 || rules[0].RateBP != ledger.DefaultRateBP || rules[len(rules)-1].SetBy != b.admin.ID {
			t.Fatalf("rules %+v %v", rules, err)
		}
		entries, err := audit.List(ctx, d.Read(), b.admin, audit.Filter{Action: "commission_rule.set"})
		if err != nil || len(entries) != 7 || entries[0].Before == nil || entries[0].ActorID != b.admin.ID {
			t.Errorf("audit: %d entries %v (%+v)", len(entries), err, entries)
		}
	})
}

func TestVendorBalance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBook(t, d)
		ctx := context.Background()
		v, other := b.vendors[0], b.vendors[1]
		sale := func(ref string, items int64, due time.Time) ledger.Sale {
			s := ledger.Sale{VendorID: v, Currency: "MAD", Items: items, Shipping: 1000, Commission: items / 10, Carrier: "amana",
				Paid: ledger.Clearing("stripe"), DueAt: due}
			b.post(t, ledger.Transaction{Kind: "payment.captured", Reference: ref, Document: ref, At: t0, Entries: s.Entries()})
			return s
		}
		sale("A", 10000, t0.Add(-time.Hour))    // due: 9000
		sale("B", 20000, t0.Add(72*time.Hour))  // pending: 18000
		sale("C", 30000, t0.Add(240*time.Hour)) // pending: 27000
		sale("D", 5000, time.Time{})            // undelivered: 4500
		got, err := b.ledger.VendorBalance(ctx, b.admin, v, t0)
		if err != nil || len(got) != 1 {
			t.Fatalf("%+v %v", got, err)
		}
		bal := got[0]
		if bal.Currency != "MAD" || bal.Due.Amount != 9000 || bal.Undelivered.Amount != 4500 || bal.Total.Amount != 58500 ||
			len(bal.Pending) != 2 || bal.Pending[0].Amount.Amount != 18000 || !bal.Pending[0].DueAt.Equal(t0.Add(72*time.Hour)) ||
			bal.Pending[1].Amount.Amount != 27000 {
			t.Fatalf("balance %+v", bal)
		}
		// Three days on, B is due.
		if got, _ := b.ledger.VendorBalance(ctx, b.admin, v, t0.Add(72*time.Hour)); got[0].Due.Amount != 27000 || len(got[0].Pending) != 1 {
			t.Errorf("later: %+v", got[0])
		}
		for _, c := range []struct {
			who  auth.User
			code errs.Code
		}{
			{auth.User{ID: 10, Role: auth.RoleVendorStaff, VendorID: v}, ""},
			{auth.User{ID: 11, Role: auth.RoleModerator}, ""},
			{auth.User{ID: 12, Role: auth.RoleVendorOwner, VendorID: other}, errs.NotFound},
			{auth.User{ID: 13, Role: auth.RoleCustomer}, errs.Forbidden},
			{auth.User{}, errs.Unauthorized},
		} {
			_, err := b.ledger.VendorBalance(ctx, c.who, v, t0)
			if errs.CodeOf(err) != c.code {
				t.Errorf("%s: %v, want %q", c.who.Role, err, c.code)
			}
		}
		if got, err := b.ledger.VendorBalance(ctx, b.admin, other, t0); err != nil || got[0].Total.Amount != 0 || got[0].Currency != "MAD" {
			t.Errorf("a vendor with nothing: %+v %v", got, err)
		}
	})
}
