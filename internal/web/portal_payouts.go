package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/ledger"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/payout"
	"souk/internal/vendor"
)

// The vendor portal's money pages: what souk owes the vendor (due now,
// each pending part with its date, waiting for delivery), the transfers
// made (payout history), and the monthly statement — every sale,
// commission, refund and payout that makes up the balance — as a page to
// print and as CSV for the accountant. A vendor's people see their own
// vendor's only (c.User.VendorID); the ledger and payout services check
// again.

func (s *Server) portalPayoutRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/vendor/payouts", Access: vendorPeople, Handle: s.portalPayouts, Nav: "payouts.nav"},
		{Method: "GET", Pattern: "/vendor/statement", Access: vendorPeople, Handle: s.portalStatement},
		{Method: "GET", Pattern: "/vendor/statement.csv", Access: vendorPeople, Handle: s.portalStatementCSV},
	}
}

type pendingPart struct{ Amount, Date string }

type balanceView struct {
	Currency                string
	Due, Undelivered, Total string
	Owing                   bool // due is negative: refunds after a payout took back more than was due
	Pending                 []pendingPart
	InTransit               string // sent, not confirmed by the bank yet; "" for none
}

type payoutRow struct {
	Date, Reference, Amount, RIB string
	Status, StatusClass, Failure string
	Settled                      string
}

type monthLink struct{ Label, Page, CSV string }

type portalPayoutsData struct {
	Balances []balanceView
	Payouts  []payoutRow
	NoRIB    bool // payouts are held until the owner enters a valid RIB
	Owner    bool // may enter it (/vendor/shop)
	Months   []monthLink
}

// statementMonths is how many months the payouts page links statements of.
const statementMonths = 12

func (s *Server) portalPayouts(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx, loc, vendorID := r.Context(), c.Loc, c.User.VendorID
	v, err := s.Vendors.ByID(ctx, vendorID)
	if err != nil {
		return err
	}
	balances, err := s.Ledger.VendorBalance(ctx, c.User, vendorID, now())
	if err != nil {
		return err
	}
	payouts, err := s.Payouts.VendorPayouts(ctx, c.User, vendorID, 100)
	if err != nil {
		return err
	}
	_, ribOK := morocco.NormalizeRIB(v.RIB)
	d := portalPayoutsData{NoRIB: !ribOK, Owner: vendorOwner.allows(c.User)}

	// Transfers stay sent for a few days: the newest 100 hold them all.
	inTransit := map[string]int64{}
	for _, p := range payouts {
		if p.Status == payout.Sent {
			inTransit[p.Amount.Currency] += p.Amount.Amount
		}
		row := payoutRow{Date: when(p.CreatedAt), Reference: p.Reference, Amount: i18n.FormatMoney(loc, p.Amount),
			RIB: payout.MaskRIB(p.RIB), Status: i18n.T(loc, "payouts.status."+string(p.Status), nil)}
		switch p.Status {
		case payout.Confirmed:
			row.StatusClass = "ok"
		case payout.Failed:
			row.StatusClass, row.Failure = "bad", p.Failure
		default:
			row.StatusClass = "warn"
		}
		if !p.SettledAt.IsZero() {
			row.Settled = when(p.SettledAt)
		}
		d.Payouts = append(d.Payouts, row)
	}
	for _, b := range balances {
		bv := balanceView{Currency: b.Currency, Due: i18n.FormatMoney(loc, b.Due), Undelivered: i18n.FormatMoney(loc, b.Undelivered),
			Total: i18n.FormatMoney(loc, b.Total), Owing: b.Due.Amount < 0}
		for _, p := range b.Pending {
			bv.Pending = append(bv.Pending, pendingPart{Amount: i18n.FormatMoney(loc, p.Amount), Date: when(p.DueAt)})
		}
		if n := inTransit[b.Currency]; n != 0 {
			bv.InTransit = i18n.FormatMoney(loc, money.New(n, b.Currency))
		}
		d.Balances = append(d.Balances, bv)
	}
	month := monthStart(now())
	for range statementMonths {
		q := "?month=" + month.Format("2006-01")
		d.Months = append(d.Months, monthLink{Label: monthLabel(loc, month), Page: "/vendor/statement" + q, CSV: "/vendor/statement.csv" + q})
		month = month.AddDate(0, -1, 0)
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_payouts", i18n.T(loc, "payouts.nav", nil), d)
}

// monthStart is the first instant of t's month on Casablanca's calendar.
func monthStart(t time.Time) time.Time {
	t = t.In(casablanca)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, casablanca)
}

// monthLabel names a month in loc: "mars 2026", "مارس 2026".
func monthLabel(loc string, month time.Time) string {
	return i18n.T(loc, "statement.month_year", map[string]any{
		"month": i18n.T(loc, fmt.Sprintf("statement.month_%02d", int(month.Month())), nil), "year": month.Year()})
}

// firstStatementMonth is the earliest month a statement may be asked for.
var firstStatementMonth = time.Date(2000, 1, 1, 0, 0, 0, 0, casablanca)

// statementMonth reads ?month=YYYY-MM (Casablanca's calendar; the current
// month when absent): the month's first instant and the next month's. A
// month that is not written so, before 2000 or more than one month ahead
// is a bad query parameter (400), named in the user's language.
func statementMonth(r *http.Request) (from, to time.Time, err error) {
	current := monthStart(now())
	last := current.AddDate(0, 1, 0)
	v := r.URL.Query().Get("month")
	if v == "" {
		return current, last, nil
	}
	from, perr := time.ParseInLocation("2006-01", v, casablanca)
	if perr != nil || from.Before(firstStatementMonth) || from.After(last) {
		return time.Time{}, time.Time{}, &errs.Error{Code: errs.Invalid, Message: "statement.bad_month",
			Args: map[string]any{"first": firstStatementMonth.Format("2006-01"), "last": last.Format("2006-01")}}
	}
	return from, from.AddDate(0, 1, 0), nil
}

type statementLineView struct {
	Date, Kind, Document                 string
	Sales, Commission, Net, Due, Balance string
}

type statementView struct {
	Currency                                 string
	Opening, Closing, Sales, Commission, Net string
	Lines                                    []statementLineView
}

type portalStatementData struct {
	Month, From, To              string
	LegalName, City, ICE, Number string // the vendor, as on its invoices
	Statements                   []statementView
	CSV, Prev, Next              string
}

// vendorStatement reads the signed-in user's vendor and its statement for
// the month asked.
func (s *Server) vendorStatement(r *http.Request, c bo) (vendor.Vendor, time.Time, []ledger.Statement, error) {
	from, to, err := statementMonth(r)
	if err != nil {
		return vendor.Vendor{}, time.Time{}, nil, err
	}
	v, err := s.Vendors.ByID(r.Context(), c.User.VendorID)
	if err != nil {
		return vendor.Vendor{}, time.Time{}, nil, err
	}
	sts, err := s.Ledger.Statement(r.Context(), c.User, v.ID, from, to)
	return v, from, sts, err
}

// portalStatement is the month's statement as a page to print: per
// currency, the opening balance, every line with its running balance, the
// totals and the closing balance.
func (s *Server) portalStatement(w http.ResponseWriter, r *http.Request, c bo) error {
	v, from, sts, err := s.vendorStatement(r, c)
	if err != nil {
		return err
	}
	loc := c.Loc
	m := func(x money.Money) string { return i18n.FormatMoney(loc, x) }
	q := "?month=" + from.Format("2006-01")
	d := portalStatementData{Month: monthLabel(loc, from), From: consoleDay(from), To: consoleDay(from.AddDate(0, 1, -1)),
		LegalName: v.LegalName, City: v.City, ICE: v.ICE, CSV: "/vendor/statement.csv" + q}
	if v.Kind == vendor.Cooperative {
		d.Number = v.CooperativeNumber
	}
	if prev := from.AddDate(0, -1, 0); !prev.Before(firstStatementMonth) {
		d.Prev = "/vendor/statement?month=" + prev.Format("2006-01")
	}
	if next := from.AddDate(0, 1, 0); !next.After(monthStart(now())) {
		d.Next = "/vendor/statement?month=" + next.Format("2006-01")
	}
	for _, st := range sts {
		sv := statementView{Currency: st.Currency, Opening: m(st.Opening), Closing: m(st.Closing), Sales: m(st.Sales),
			Commission: m(st.Commission), Net: m(st.Net)}
		for _, l := range st.Lines {
			lv := statementLineView{Date: consoleDay(l.At), Kind: kindLabel(loc, l.Kind), Document: l.Document,
				Net: m(l.Net), Balance: m(l.Balance)}
			if l.Sales.Amount != 0 || l.Commission.Amount != 0 {
				lv.Sales, lv.Commission = m(l.Sales), m(l.Commission)
			}
			if !l.DueAt.IsZero() {
				lv.Due = when(l.DueAt)
			}
			sv.Lines = append(sv.Lines, lv)
		}
		d.Statements = append(d.Statements, sv)
	}
	return s.renderBO(w, r, c, http.StatusOK, "portal_statement",
		i18n.T(loc, "statement.title", map[string]any{"month": d.Month}), d)
}

// kindLabel says what a ledger transaction was, in loc; a kind without
// words yet shows as itself.
func kindLabel(loc, kind string) string {
	if key := "statement.kind." + kind; i18n.Has(i18n.Default, key) {
		return i18n.T(loc, key, nil)
	}
	return kind
}

// statementColumns is the CSV statement's header. The file is UTF-8 with
// a byte order mark (Excel then reads Arabic names right, as with the
// products' export), comma-separated, CR LF; per currency an
// opening_balance line, one line per ledger transaction, a
// closing_balance line:
//
//	date        YYYY-MM-DD in Casablanca (the opening line: the month's first day; the closing: its last)
//	type        opening_balance, closing_balance, or the transaction's kind: payment.captured, cod.collected,
//	            sale.delivered, sale.cancelled, sale.returned, payment.refunded, payout.sent, payout.confirmed, payout.failed
//	document    the order number, or the payout's reference (SOUK-P000123, as on the bank statement)
//	sales       the items' price, VAT included, the line adds to the sales (negative: taken back)
//	commission  souk's commission on it, VAT included (negative: given back)
//	net         how much the line changes what souk owes the vendor
//	due_at      when the line's money falls due, YYYY-MM-DD HH:MM in Casablanca; empty when it makes nothing due
//	balance     what souk owes the vendor after the line
//	currency    the amounts' currency (MAD, or EUR…)
//
// Amounts are decimals with a point and no grouping: 1234.50, -45.46.
var statementColumns = []string{"date", "type", "document", "sales", "commission", "net", "due_at", "balance", "currency"}

// portalStatementCSV downloads the month's statement for the accountant.
func (s *Server) portalStatementCSV(w http.ResponseWriter, r *http.Request, c bo) error {
	v, from, sts, err := s.vendorStatement(r, c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write(statementColumns)
	day := func(t time.Time) string { return t.In(casablanca).Format(time.DateOnly) }
	for _, st := range sts {
		cur := st.Currency
		_ = cw.Write([]string{day(st.From), "opening_balance", "", "", "", "", "", money.Decimal(st.Opening), cur})
		for _, l := range st.Lines {
			due := ""
			if !l.DueAt.IsZero() {
				due = l.DueAt.In(casablanca).Format("2006-01-02 15:04")
			}
			_ = cw.Write([]string{day(l.At), l.Kind, l.Document, money.Decimal(l.Sales), money.Decimal(l.Commission),
				money.Decimal(l.Net), due, money.Decimal(l.Balance), cur})
		}
		_ = cw.Write([]string{day(st.To.In(casablanca).AddDate(0, 0, -1)), "closing_balance", "", "", "", "", "", money.Decimal(st.Closing), cur})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("statement csv: %w", err)
	}
	name := "souk-statement-" + strings.ToLower(v.Slug) + "-" + from.Format("2006-01") + ".csv"
	out := &lazyHeader{w: w, contentType: "text/csv; charset=utf-8", filename: name}
	_, err = out.Write(buf.Bytes())
	return err
}
