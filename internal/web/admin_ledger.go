package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"souk/internal/i18n"
	"souk/internal/ledger"
	"souk/internal/money"
)

// The console's book: the trial balance, which must sum to zero in every
// currency (every posting balances, so anything else means something wrote
// around ledger.Post), and the commission revenue month by month.

func (s *Server) adminLedgerRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/ledger", Access: admins, Handle: s.adminLedger, Nav: "ledger.console_nav"},
	}
}

// alFamilies are the account families in the order the package doc of
// ledger lists them; each has its meaning under ledger.console.account.*.
var alFamilies = []string{"clearing", "cod", ledger.VendorUndelivered, ledger.VendorPayable, ledger.CommissionRevenue,
	ledger.CommissionVAT, "shipping", ledger.RefundsOwed, ledger.Bank, ledger.PayoutsInTransit}

// alFamily is the family of an account: itself for the fixed names,
// what comes before the detail for clearing:cmi, cod:amana, shipping:amana.
func alFamily(account string) string {
	if slices.Contains(alFamilies, account) {
		return account
	}
	family, _, _ := strings.Cut(account, ":")
	return family
}

type alAccount struct {
	Account, Currency, Debits, Credits, Balance string
}

// alGroup is one family's accounts with what they mean.
type alGroup struct {
	Family, Meaning string
	Accounts        []alAccount
}

type alTotal struct {
	Currency, Debits, Credits, Balance string
	Zero                               bool
}

type alMonth struct {
	Month, Currency, Net, VAT, Total string
	Orders                           int
}

// alYearTotal is a year's commission in one currency. It counts no
// orders: an order refunded in a later month is in two months' counts.
type alYearTotal struct {
	Currency, Net, VAT, Total string
}

type alData struct {
	Groups     []alGroup
	Totals     []alTotal
	Balanced   bool
	Year       formField
	YearValue  int
	Months     []alMonth
	YearTotals []alYearTotal
	Problems   []problem
}

func (s *Server) adminLedger(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx, loc := r.Context(), c.Loc
	t := func(key string) string { return i18n.T(loc, key, nil) }
	status := http.StatusOK
	d := alData{YearValue: time.Now().In(casablanca).Year()}
	d.Year = formField{ID: "year", Name: "year", Label: t("ledger.console.year"), Type: "text", Inputs: "numeric", Dir: "ltr",
		Value: r.URL.Query().Get("year")}
	if v := strings.TrimSpace(d.Year.Value); v == "" {
		d.Year.Value = strconv.Itoa(d.YearValue)
	} else if y, err := strconv.Atoi(v); err == nil && y >= 2000 && y <= 9999 {
		d.YearValue = y
	} else {
		status = http.StatusBadRequest
		d.Problems = fieldProblems(loc, map[string]string{"year": "ledger.console.year_syntax"}, []*formField{&d.Year})
	}

	tb, err := s.Ledger.TrialBalance(ctx, c.User)
	if err != nil {
		return err
	}
	d.Balanced = tb.Balanced()
	groups := map[string]*alGroup{}
	sums := map[string]*[2]int64{}
	var currencies []string
	for _, a := range tb.Accounts {
		f := alFamily(a.Account)
		g, ok := groups[f]
		if !ok {
			g = &alGroup{Family: f}
			if key := "ledger.console.account." + f; i18n.Has("en", key) {
				g.Meaning = t(key)
			}
			groups[f] = g
		}
		m := func(n int64) string { return i18n.FormatMoney(loc, money.New(n, a.Currency)) }
		g.Accounts = append(g.Accounts, alAccount{Account: a.Account, Currency: a.Currency, Debits: m(a.Debits), Credits: m(a.Credits),
			Balance: m(a.Balance)})
		if _, ok := sums[a.Currency]; !ok {
			sums[a.Currency] = &[2]int64{}
			currencies = append(currencies, a.Currency)
		}
		sums[a.Currency][0] += a.Debits
		sums[a.Currency][1] += a.Credits
	}
	for _, f := range alFamilies {
		if g, ok := groups[f]; ok {
			d.Groups = append(d.Groups, *g)
			delete(groups, f)
		}
	}
	var others []string // families the doc does not list yet, last
	for f := range groups {
		others = append(others, f)
	}
	slices.Sort(others)
	for _, f := range others {
		d.Groups = append(d.Groups, *groups[f])
	}
	slices.SortFunc(currencies, money.CompareCurrency)
	for _, cur := range currencies {
		m := func(n int64) string { return i18n.FormatMoney(loc, money.New(n, cur)) }
		d.Totals = append(d.Totals, alTotal{Currency: cur, Debits: m(sums[cur][0]), Credits: m(sums[cur][1]), Balance: m(tb.Totals[cur]),
			Zero: tb.Totals[cur] == 0})
	}

	from := time.Date(d.YearValue, time.January, 1, 0, 0, 0, 0, casablanca)
	revenue, err := s.Ledger.CommissionRevenue(ctx, c.User, from, from.AddDate(1, 0, 0))
	if err != nil {
		return err
	}
	yearSums := map[string]*[3]int64{} // net, VAT, total
	var yearCurrencies []string
	for _, m := range revenue {
		d.Months = append(d.Months, alMonth{Month: monthLabel(loc, m.Month), Currency: m.Currency,
			Net: i18n.FormatMoney(loc, m.Net), VAT: i18n.FormatMoney(loc, m.VAT), Total: i18n.FormatMoney(loc, m.Total), Orders: m.Orders})
		if _, ok := yearSums[m.Currency]; !ok {
			yearSums[m.Currency] = &[3]int64{}
			yearCurrencies = append(yearCurrencies, m.Currency)
		}
		yearSums[m.Currency][0] += m.Net.Amount
		yearSums[m.Currency][1] += m.VAT.Amount
		yearSums[m.Currency][2] += m.Total.Amount
	}
	slices.SortFunc(yearCurrencies, money.CompareCurrency)
	for _, cur := range yearCurrencies {
		m := func(n int64) string { return i18n.FormatMoney(loc, money.New(n, cur)) }
		y := yearSums[cur]
		d.YearTotals = append(d.YearTotals, alYearTotal{Currency: cur, Net: m(y[0]), VAT: m(y[1]), Total: m(y[2])})
	}
	return s.renderBO(w, r, c, status, "admin_ledger", t("ledger.console.title"), d)
}
