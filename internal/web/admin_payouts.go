package web

import (
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/payout"
)

// The console's payouts: what souk owes each vendor, runs, batches and
// their bank files. Admins only: the pages carry bank details and send
// money. Everything goes through payout.Service, which checks again.

func (s *Server) adminPayoutRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/payouts", Access: admins, Handle: s.adminPayouts, Nav: "payouts.console_nav"},
		{Method: "POST", Pattern: "/admin/payouts/run", Access: admins, Handle: s.adminPayoutRun},
		{Method: "GET", Pattern: "/admin/payouts/batches/{batch}", Access: admins, Handle: s.adminPayoutBatch},
		{Method: "GET", Pattern: "/admin/payouts/batches/{batch}/file", Access: admins, Handle: s.adminPayoutFile},
		{Method: "POST", Pattern: "/admin/payouts/batches/{batch}/confirm", Access: admins, Handle: s.adminPayoutConfirmBatch},
		{Method: "POST", Pattern: "/admin/payouts/{payout}/confirm", Access: admins, Handle: s.adminPayoutSettle(payout.Confirmed)},
		{Method: "POST", Pattern: "/admin/payouts/{payout}/fail", Access: admins, Handle: s.adminPayoutSettle(payout.Failed)},
	}
}

var _ = notice("payouts.console.run_done", "payouts.console.nothing_due", "payouts.console.confirmed_done",
	"payouts.console.failed_done", "payouts.console.batch_confirmed_done")

// apBatchesPerPage is how many batches a page of the list shows.
const apBatchesPerPage = 20

// apOwedRow is one vendor's balance in one currency.
type apOwedRow struct {
	Vendor, VendorURL                    string
	Due, Pending, Undelivered, InTransit string
	OwesBack                             bool // Due is what the vendor owes back
	State, Badge                         string
}

// apTotal is a column's sum in one currency.
type apTotal struct {
	Currency                             string
	Due, Pending, Undelivered, InTransit string
}

// apBatchRow is one run in the list of batches.
type apBatchRow struct {
	Number, URL, When, Source, StartedBy, Totals string
	Count, Sent, Confirmed, Failed               int
}

type apData struct {
	Owed        []apOwedRow
	Totals      []apTotal
	Batches     []apBatchRow
	WithEmpty   bool
	EmptyToggle string
	Prev, Next  string
	Problems    []problem
}

func (s *Server) adminPayouts(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx, loc, q := r.Context(), c.Loc, r.URL.Query()
	t := func(key string) string { return i18n.T(loc, key, nil) }
	status, page := http.StatusOK, 1
	d := apData{WithEmpty: q.Get("empty") == "1"}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			d.Problems = badQueryParam(loc, "page", t("payouts.console.page"), "field.integer")
		case n < 1:
			d.Problems = badQueryParam(loc, "page", t("payouts.console.page"), "field.positive")
		default:
			page = n
		}
		if d.Problems != nil {
			status = http.StatusBadRequest
		}
	}
	owed, err := s.Payouts.Owed(ctx, c.User)
	if err != nil {
		return err
	}
	sums := map[string]*[4]int64{}
	var currencies []string
	for _, o := range owed {
		row := apOwedRow{Vendor: o.Name, VendorURL: "/admin/vendors/" + strconv.FormatInt(o.VendorID, 10),
			Due: i18n.FormatMoney(loc, o.Due), Pending: i18n.FormatMoney(loc, o.Pending),
			Undelivered: i18n.FormatMoney(loc, o.Undelivered), InTransit: i18n.FormatMoney(loc, o.InTransit)}
		switch {
		case o.Due.Amount < 0:
			row.OwesBack, row.Due = true, i18n.T(loc, "payouts.console.owes_back", map[string]any{"amount": i18n.FormatMoney(loc, money.New(-o.Due.Amount, o.Due.Currency))})
			row.State, row.Badge = t("payouts.console.state_owes"), "bad"
		case o.Held != "":
			row.State, row.Badge = t("payouts.console.held_"+o.Held), "warn"
		case o.Due.Amount > 0:
			row.State, row.Badge = t("payouts.console.state_ready"), "ok"
		}
		d.Owed = append(d.Owed, row)
		cur := o.Due.Currency
		if _, ok := sums[cur]; !ok {
			sums[cur] = &[4]int64{}
			currencies = append(currencies, cur)
		}
		for i, m := range []money.Money{o.Due, o.Pending, o.Undelivered, o.InTransit} {
			sums[cur][i] += m.Amount
		}
	}
	slices.SortFunc(currencies, money.CompareCurrency)
	for _, cur := range currencies {
		sum := sums[cur]
		f := func(i int) string { return i18n.FormatMoney(loc, money.New(sum[i], cur)) }
		d.Totals = append(d.Totals, apTotal{Currency: cur, Due: f(0), Pending: f(1), Undelivered: f(2), InTransit: f(3)})
	}

	batches, total, err := s.Payouts.Batches(ctx, c.User, page, apBatchesPerPage, d.WithEmpty)
	if err != nil {
		return err
	}
	who := s.actorNames(ctx, loc)
	for _, b := range batches {
		d.Batches = append(d.Batches, apBatchRow{Number: b.Number, URL: apBatchURL(b.ID), When: when(b.AsOf),
			Source: t("payouts.console.source_" + string(b.Source)), StartedBy: apStartedBy(loc, b, who), Totals: apMoneyList(loc, b.Totals),
			Count: b.Count, Sent: b.Sent, Confirmed: b.Confirmed, Failed: b.Failed})
	}
	toggle := r.URL.Query()
	toggle.Del("page")
	toggle.Del("done")
	if d.WithEmpty {
		toggle.Del("empty")
	} else {
		toggle.Set("empty", "1")
	}
	d.EmptyToggle = r.URL.Path + "?" + toggle.Encode()
	if page > 1 {
		d.Prev = pageURL(r, page-1)
	}
	if page*apBatchesPerPage < total {
		d.Next = pageURL(r, page+1)
	}
	return s.renderBO(w, r, c, status, "admin_payouts", t("payouts.console.title"), d)
}

// badQueryParam names a query parameter that cannot be read, for a page
// answered with 400.
func badQueryParam(loc, id, label, key string) []problem {
	f := formField{ID: id, Name: id, Label: label}
	return fieldProblems(loc, map[string]string{id: key}, []*formField{&f})
}

func apBatchURL(id int64) string { return "/admin/payouts/batches/" + strconv.FormatInt(id, 10) }

// apStartedBy is who started a run: an admin by name, else the machine.
func apStartedBy(loc string, b payout.Batch, who func(int64, string) string) string {
	if b.StartedBy == 0 {
		return i18n.T(loc, "payouts.console.machine", nil)
	}
	return who(b.StartedBy, "")
}

// apMoneyList writes amounts in several currencies on one line.
func apMoneyList(loc string, ms []money.Money) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = i18n.FormatMoney(loc, m)
	}
	return strings.Join(parts, " · ")
}

// adminPayoutRun pays every vendor what is due now, and shows the batch
// it made.
func (s *Server) adminPayoutRun(w http.ResponseWriter, r *http.Request, c bo) error {
	rep, err := s.Payouts.Run(r.Context(), c.User, payout.RunOptions{Source: payout.Console})
	if err != nil {
		return err
	}
	if rep.BatchID == 0 {
		return done(w, r, "/admin/payouts", "payouts.console.nothing_due")
	}
	return done(w, r, apBatchURL(rep.BatchID), "payouts.console.run_done")
}

// apPathID reads a numeric id from the path; anything else is not found.
func apPathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundE(what)
	}
	return id, nil
}

// apTransfer is one transfer of a batch, with the forms that settle it.
type apTransfer struct {
	ID                                int64
	Reference, Beneficiary, VendorURL string
	RIB, Amount, Status, Badge        string
	Failure, Settled                  string
	Sent                              bool // still open: the forms show
	ConfirmURL, FailURL               string
	Reason                            formField
}

type apBatchData struct {
	Number, When, Source, StartedBy, Totals string
	Count, Sent, Confirmed, Failed          int
	Lines                                   []apTransfer
	FileURL, ConfirmURL, FileName           string
	Message                                 string // why the last action was refused
	Problems                                []problem
}

var apStatusBadges = map[payout.Status]string{payout.Sent: "warn", payout.Confirmed: "ok", payout.Failed: "bad"}

func (s *Server) adminPayoutBatch(w http.ResponseWriter, r *http.Request, c bo) error {
	id, err := apPathID(r, "batch", "payout_batch")
	if err != nil {
		return err
	}
	d, err := s.apBatchPage(r, c, id)
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_payout_batch", i18n.T(c.Loc, "payouts.console.batch_title", map[string]any{"number": d.Number}), d)
}

// apBatchPage reads what the page of batch id shows.
func (s *Server) apBatchPage(r *http.Request, c bo, id int64) (apBatchData, error) {
	ctx, loc := r.Context(), c.Loc
	t := func(key string) string { return i18n.T(loc, key, nil) }
	b, ps, err := s.Payouts.Batch(ctx, c.User, id)
	if err != nil {
		return apBatchData{}, err
	}
	base := apBatchURL(b.ID)
	d := apBatchData{Number: b.Number, When: when(b.AsOf), Source: t("payouts.console.source_" + string(b.Source)),
		StartedBy: apStartedBy(loc, b, s.actorNames(ctx, loc)), Totals: apMoneyList(loc, b.Totals), Count: b.Count, Sent: b.Sent,
		Confirmed: b.Confirmed, Failed: b.Failed, FileURL: base + "/file", ConfirmURL: base + "/confirm", FileName: b.Number + ".csv"}
	for _, p := range ps {
		ref := "/admin/payouts/" + strconv.FormatInt(p.ID, 10)
		l := apTransfer{ID: p.ID, Reference: p.Reference, Beneficiary: p.Beneficiary,
			VendorURL: "/admin/vendors/" + strconv.FormatInt(p.VendorID, 10), RIB: p.RIB, Amount: i18n.FormatMoney(loc, p.Amount),
			Status: t("payouts.console.status_" + string(p.Status)), Badge: apStatusBadges[p.Status], Failure: p.Failure,
			Sent: p.Status == payout.Sent, ConfirmURL: ref + "/confirm", FailURL: ref + "/fail",
			Reason: formField{ID: "reason-" + strconv.FormatInt(p.ID, 10), Name: "reason", Label: t("payouts.console.reason"),
				Type: "text", Dir: "auto", Required: true, Help: t("payouts.console.reason_help")}}
		if !p.SettledAt.IsZero() {
			l.Settled = when(p.SettledAt)
		}
		d.Lines = append(d.Lines, l)
	}
	return d, nil
}

// adminPayoutFile sends a batch's bank transfer file.
func (s *Server) adminPayoutFile(w http.ResponseWriter, r *http.Request, c bo) error {
	id, err := apPathID(r, "batch", "payout_batch")
	if err != nil {
		return err
	}
	name, body, err := s.Payouts.BankFile(r.Context(), c.User, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, err = w.Write(body)
	return err
}

// adminPayoutConfirmBatch confirms every transfer of a batch still sent:
// the bank statement shows them all.
func (s *Server) adminPayoutConfirmBatch(w http.ResponseWriter, r *http.Request, c bo) error {
	id, err := apPathID(r, "batch", "payout_batch")
	if err != nil {
		return err
	}
	if _, err := s.Payouts.ConfirmBatch(r.Context(), c.User, id); err != nil {
		return err
	}
	return done(w, r, apBatchURL(id), "payouts.console.batch_confirmed_done")
}

// adminPayoutSettle confirms a transfer or records that it failed, then
// goes back to its batch. A failure without a reason comes back with the
// field named (422); a transfer settled the other way cannot change (409).
// Nothing changes then.
func (s *Server) adminPayoutSettle(to payout.Status) boHandler {
	return func(w http.ResponseWriter, r *http.Request, c bo) error {
		ctx, loc := r.Context(), c.Loc
		id, err := apPathID(r, "payout", "payout")
		if err != nil {
			return err
		}
		p, err := s.Payouts.Get(ctx, c.User, id)
		if err != nil {
			return err
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			return errs.Wrap(errs.Invalid, "error.invalid", err)
		}
		key := "payouts.console.confirmed_done"
		if to == payout.Failed {
			_, err = s.Payouts.Fail(ctx, c.User, id, r.PostForm.Get("reason"))
			key = "payouts.console.failed_done"
		} else {
			_, err = s.Payouts.Confirm(ctx, c.User, id)
		}
		if err == nil {
			return done(w, r, apBatchURL(p.BatchID), key)
		}
		var e *errs.Error
		if !errors.As(err, &e) || (e.Code != errs.Invalid && e.Code != errs.Conflict) {
			return err
		}
		d, derr := s.apBatchPage(r, c, p.BatchID)
		if derr != nil {
			return derr
		}
		status := http.StatusConflict
		if e.Code == errs.Invalid {
			status = http.StatusUnprocessableEntity
		}
		for i := range d.Lines {
			if l := &d.Lines[i]; l.ID == id {
				l.Reason.Value = r.PostForm.Get("reason")
				d.Problems = fieldProblems(loc, e.Fields, []*formField{&l.Reason})
			}
		}
		if len(d.Problems) == 0 {
			d.Message = errorText(loc, e)
		}
		return s.renderBO(w, r, c, status, "admin_payout_batch", i18n.T(loc, "payouts.console.batch_title", map[string]any{"number": d.Number}), d)
	}
}
