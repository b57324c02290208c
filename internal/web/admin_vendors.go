package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/morocco"
	"souk/internal/text"
	"souk/internal/vendor"
)

// The operator console's vendors: the queue of applications (filters, 50
// a page, one decision on many at once), one vendor's file with its
// documents, history and decisions (admin_vendor.go), and the audit log's
// search (admin_audit.go). Everything goes through vendor.Service, which
// checks again that the user is an operator.

func (s *Server) adminVendorRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/vendors", Access: operators, Handle: s.vendorQueue, Nav: "console.nav_vendors"},
		{Method: "POST", Pattern: "/admin/vendors/review", Access: operators, Handle: s.reviewVendors},
		{Method: "GET", Pattern: "/admin/vendors/{vendor}", Access: operators, Handle: s.vendorFile},
		{Method: "GET", Pattern: "/admin/vendors/{vendor}/documents/{doc}", Access: operators, Handle: s.vendorDocument},
		{Method: "POST", Pattern: "/admin/vendors/{vendor}/review", Access: operators, Handle: s.reviewVendor},
		{Method: "GET", Pattern: "/admin/audit", Access: admins, Handle: s.auditLog, Nav: "console.nav_audit"},
	}
}

// queuePerPage is how many vendors a page of the queue shows.
const queuePerPage = 50

// queueKeys are the queue's filters in its URL (and nothing else is kept
// when the bulk form sends the operator back).
var queueKeys = []string{"status", "waiting", "kind", "region", "from", "to", "q", "page"}

// bulkActions are the decisions the queue takes on many applications.
var bulkActions = []vendor.Action{vendor.Approve, vendor.Reject, vendor.AskInfo}

// vendorStatusBadge is the badge class of each status.
var vendorStatusBadge = map[vendor.Status]string{vendor.Applied: "", vendor.Approved: "ok", vendor.Suspended: "warn", vendor.Rejected: "bad"}

func vendorStatusLabel(loc string, st vendor.Status) string {
	return i18n.T(loc, "console.vendors.status."+string(st), nil)
}

func vendorActionLabel(loc string, a vendor.Action) string {
	return i18n.T(loc, "console.vendors.action."+string(a), nil)
}

// consoleDay is a date as the console shows it, in Casablanca.
func consoleDay(t time.Time) string { return t.In(casablanca).Format("02/01/2006") }

// dayRange reads the "from" and "to" days typed in a filter (YYYY-MM-DD,
// Casablanca's calendar): from is the start of its day, to the start of
// the next, so that "until" includes the day typed. A day that cannot be
// read is named in bad and left zero (not filtered on).
func dayRange(from, to string, bad map[string]string) (start, end time.Time) {
	day := func(v, field string, next bool) time.Time {
		if v = strings.TrimSpace(v); v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, casablanca)
		if err != nil {
			bad[field] = "field.date"
			return time.Time{}
		}
		if next {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	return day(from, "from", false), day(to, "to", true)
}

// queueFilters are the filter form's fields, holding what was asked.
type queueFilters struct {
	Status, Waiting, Kind, Region selectField
	From, To, Query               formField
}

func (f *queueFilters) fields() []*formField {
	return []*formField{&f.Status.formField, &f.Waiting.formField, &f.Kind.formField, &f.Region.formField, &f.From, &f.To, &f.Query}
}

// readQueueFilters reads the queue's filters from q. A value that is not
// understood (a date that is not one, an unknown region) is named in the
// problems and left out: the queue still shows, never an error page.
func readQueueFilters(loc string, q url.Values) (vendor.Filter, queueFilters, []problem) {
	t := func(key string) string { return i18n.T(loc, key, nil) }
	var d queueFilters
	sel := func(name, label string, choices []choice) selectField {
		return selectField{formField: formField{ID: "filter-" + name, Name: name, Label: label, Value: q.Get(name)}, Choices: choices}
	}
	anyOne := choice{Value: "", Label: t("console.vendors.any")}

	statuses := []choice{}
	for _, st := range []vendor.Status{vendor.Applied, vendor.Approved, vendor.Suspended, vendor.Rejected} {
		statuses = append(statuses, choice{Value: string(st), Label: vendorStatusLabel(loc, st)})
	}
	statuses = append(statuses, choice{Value: "all", Label: t("console.vendors.any")})
	d.Status = sel("status", t("console.vendors.status"), statuses)
	d.Waiting = sel("waiting", t("console.vendors.waiting"), []choice{anyOne,
		{Value: "yes", Label: t("console.vendors.yes")}, {Value: "no", Label: t("console.vendors.no")}})
	kinds := []choice{anyOne}
	for _, k := range vendor.Kinds {
		kinds = append(kinds, choice{Value: string(k), Label: t("sell.kind." + string(k))})
	}
	d.Kind = sel("kind", t("console.vendors.kind"), kinds)
	regions := []choice{anyOne}
	for _, r := range morocco.Regions {
		regions = append(regions, choice{Value: r.Code, Label: regionName(r.Code, loc)})
	}
	d.Region = sel("region", t("sell.region"), regions)
	d.From = formField{ID: "filter-from", Name: "from", Label: t("console.vendors.from"), Type: "date", Value: q.Get("from"), Dir: "ltr"}
	d.To = formField{ID: "filter-to", Name: "to", Label: t("console.vendors.to"), Type: "date", Value: q.Get("to"), Dir: "ltr"}
	d.Query = formField{ID: "filter-q", Name: "q", Label: t("web.search"), Type: "search", Value: q.Get("q"),
		Help: t("console.vendors.search_help")}

	f := vendor.Filter{Status: vendor.Applied, Query: strings.TrimSpace(d.Query.Value), PerPage: queuePerPage}
	bad := map[string]string{}
	known := func(s selectField) bool {
		return slices.ContainsFunc(s.Choices, func(c choice) bool { return c.Value == s.Value })
	}
	switch st := d.Status.Value; {
	case st == "":
		d.Status.Value = string(vendor.Applied) // the queue: what is waiting for a decision
	case st == "all":
		f.Status = ""
	case known(d.Status):
		f.Status = vendor.Status(st)
	default:
		bad["status"] = "field.enum"
	}
	switch d.Waiting.Value {
	case "":
	case "yes", "no":
		w := d.Waiting.Value == "yes"
		f.Waiting = &w
	default:
		bad["waiting"] = "field.enum"
	}
	if d.Kind.Value != "" {
		if known(d.Kind) {
			f.Kind = vendor.Kind(d.Kind.Value)
		} else {
			bad["kind"] = "field.enum"
		}
	}
	if d.Region.Value != "" {
		if known(d.Region) {
			f.Region = d.Region.Value
		} else {
			bad["region"] = "field.region"
		}
	}
	f.From, f.To = dayRange(d.From.Value, d.To.Value, bad)
	if p := text.Check(f.Query, false, 200); p != "" {
		bad["q"], f.Query = p, ""
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.Page = max(f.Page, 1)
	for _, s := range []*selectField{&d.Status, &d.Waiting, &d.Kind, &d.Region} {
		for i := range s.Choices {
			s.Choices[i].Selected = s.Choices[i].Value == s.Value
		}
	}
	return f, d, fieldProblems(loc, bad, d.fields())
}

// queueQuery keeps only the queue's filters of q, in a stable order.
func queueQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range queueKeys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// queueURL is the queue with the filters of q on page (0: q's own page).
func queueURL(q url.Values, page int) string {
	q = queueQuery(q)
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	} else if page == 1 {
		q.Del("page")
	}
	if len(q) == 0 {
		return "/admin/vendors"
	}
	return "/admin/vendors?" + q.Encode()
}

type vendorQueueRow struct {
	ID                              int64
	Name, Kind, Where, Applied, URL string
	Status, StatusClass             string
	InfoRequested, Checked          bool
	SelectLabel                     string
}

// bulkForm is the decision taken on the vendors ticked in the queue.
type bulkForm struct {
	Problems  []problem
	Selection formField // the ticked vendors: only its label and problem show
	Action    selectField
	Note      formField
}

// bulkResult is what the last decision on many vendors did, shown once
// after the redirect.
type bulkResult struct {
	Done   string
	Failed []bulkFailure
	More   string // failures beyond those listed
}

type bulkFailure struct{ Name, URL, Why string }

type queueData struct {
	Filters        queueFilters
	FilterProblems []problem
	Count          string
	Rows           []vendorQueueRow
	Prev, Next     string
	PageOf         string
	Back           string // the filters, for the bulk form to return to
	Bulk           bulkForm
	Result         *bulkResult
	Reset          string
}

// newBulkForm is the queue's decision form in loc, holding what was sent.
func newBulkForm(loc string, action vendor.Action, note string) bulkForm {
	t := func(key string) string { return i18n.T(loc, key, nil) }
	b := bulkForm{
		Selection: formField{ID: "vendor-list", Name: "ids", Label: t("console.vendors.selection")},
		Action: selectField{formField: formField{ID: "bulk-action", Name: "action", Label: t("console.vendors.decision"),
			Value: string(action), Required: true}},
		Note: formField{ID: "bulk-note", Name: "note", Label: t("console.vendors.note"), Value: note,
			Help: t("console.vendors.note_help")},
	}
	b.Action.Choices = []choice{{Value: "", Label: t("console.vendors.decision_choose")}}
	for _, a := range bulkActions {
		b.Action.Choices = append(b.Action.Choices, choice{Value: string(a), Label: vendorActionLabel(loc, a), Selected: a == action})
	}
	return b
}

// vendorQueuePage reads one page of the queue for the filters in q.
func (s *Server) vendorQueuePage(ctx context.Context, c bo, q url.Values, checked map[int64]bool) (queueData, error) {
	f, filters, problems := readQueueFilters(c.Loc, q)
	d := queueData{Filters: filters, FilterProblems: problems, Back: queueQuery(q).Encode(), Reset: "/admin/vendors"}
	vs, total, err := s.Vendors.List(ctx, c.User, f)
	if err != nil {
		return d, err
	}
	d.Count = i18n.N(c.Loc, "console.vendors.count", total, nil)
	pages := max(1, (total+queuePerPage-1)/queuePerPage)
	if f.Page > 1 {
		d.Prev = queueURL(q, min(f.Page-1, pages))
	}
	if f.Page < pages {
		d.Next = queueURL(q, f.Page+1)
	}
	if pages > 1 {
		d.PageOf = i18n.T(c.Loc, "console.vendors.page_of", map[string]any{"page": f.Page, "pages": pages})
	}
	for _, v := range vs {
		name := v.DisplayName(c.Loc)
		row := vendorQueueRow{ID: v.ID, Name: name, Kind: i18n.T(c.Loc, "sell.kind."+string(v.Kind), nil),
			Where: regionName(v.Region, c.Loc), Applied: consoleDay(v.CreatedAt), URL: fmt.Sprintf("/admin/vendors/%d", v.ID),
			Status: vendorStatusLabel(c.Loc, v.Status), StatusClass: vendorStatusBadge[v.Status],
			InfoRequested: v.Status == vendor.Applied && v.InfoRequestedAt != nil, Checked: checked[v.ID],
			SelectLabel: i18n.T(c.Loc, "console.vendors.select", map[string]any{"name": name})}
		if v.City != "" {
			row.Where += " · " + v.City
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

func (s *Server) vendorQueue(w http.ResponseWriter, r *http.Request, c bo) error {
	d, err := s.vendorQueuePage(r.Context(), c, r.URL.Query(), nil)
	if err != nil {
		return err
	}
	d.Bulk = newBulkForm(c.Loc, "", "")
	d.Result = s.takeBulkResult(w, r, c)
	return s.renderBO(w, r, c, http.StatusOK, "admin_vendors", i18n.T(c.Loc, "console.nav_vendors", nil), d)
}

// reviewVendors takes one decision (approve, reject, ask for information)
// on the vendors ticked in the queue, each on its own (vendor.ReviewMany),
// and sends the operator back to the same filtered queue, which says how
// many were done and which were not, and why. A form that cannot be
// taken (nothing ticked, no decision, a rejection without its reason)
// comes back with 422, each problem named, and changes nothing.
func (s *Server) reviewVendors(w http.ResponseWriter, r *http.Request, c bo) error {
	back, _ := url.ParseQuery(r.PostFormValue("back"))
	back = queueQuery(back)
	action, note := vendor.Action(r.PostForm.Get("action")), r.PostForm.Get("note")
	var ids []int64
	checked := map[int64]bool{}
	fields := map[string]string{}
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			fields["ids"] = "field.invalid"
			continue
		}
		if !checked[id] {
			ids, checked[id] = append(ids, id), true
		}
	}
	if len(ids) == 0 || len(ids) > 200 {
		fields["ids"] = "field.bulk_count"
	}
	switch {
	case action == "":
		fields["action"] = "field.required"
	case !slices.Contains(bulkActions, action):
		fields["action"] = "field.enum"
	default:
		if p := text.Check(text.Clean(note), action == vendor.Reject || action == vendor.AskInfo, 2000); p != "" {
			fields["note"] = p
		}
	}
	var results map[int64]error
	if len(fields) == 0 {
		var err error
		results, err = s.Vendors.ReviewMany(r.Context(), c.User, ids, vendor.Decision{Action: action, Note: note})
		var e *errs.Error
		switch {
		case errors.As(err, &e) && e.Code == errs.Invalid && len(e.Fields) > 0:
			fields = e.Fields
		case err != nil:
			return err
		}
	}
	if len(fields) > 0 {
		d, err := s.vendorQueuePage(r.Context(), c, back, checked)
		if err != nil {
			return err
		}
		d.Bulk = newBulkForm(c.Loc, action, note)
		d.Bulk.Problems = fieldProblems(c.Loc, fields, []*formField{&d.Bulk.Selection, &d.Bulk.Action.formField, &d.Bulk.Note})
		// The page is the queue's: its language links and menu say so.
		r2 := r.Clone(r.Context())
		r2.URL.Path, r2.URL.RawQuery = "/admin/vendors", back.Encode()
		return s.renderBO(w, r2, c, http.StatusUnprocessableEntity, "admin_vendors", i18n.T(c.Loc, "console.nav_vendors", nil), d)
	}
	s.putBulkResult(w, r, action, ids, results)
	http.Redirect(w, r, queueURL(back, 0), http.StatusSeeOther)
	return nil
}

// The result of a decision on many vendors travels to the queue in a
// short-lived cookie, not in the URL: a link someone sends cannot make the
// console say that vendors were approved. It holds the action, how many
// were done and the failures as id and a letter (c: conflict, n: not
// found, x: anything else); the queue reads the names and current
// statuses again to say why.
const bulkCookie = "souk_bulk_review"

// bulkCookieMax keeps the cookie under what browsers store.
const bulkCookieMax = 3000

func (s *Server) putBulkResult(w http.ResponseWriter, r *http.Request, action vendor.Action, ids []int64, results map[int64]error) {
	done, failed := 0, 0
	var list []string
	size := 0
	for _, id := range ids {
		err := results[id]
		if err == nil {
			done++
			continue
		}
		failed++
		letter := "x"
		switch {
		case errs.Is(err, errs.Conflict):
			letter = "c"
		case errs.Is(err, errs.NotFound):
			letter = "n"
		}
		item := strconv.FormatInt(id, 10) + letter
		if size+len(item) < bulkCookieMax {
			list, size = append(list, item), size+len(item)+1
		}
	}
	value := fmt.Sprintf("%s.%d.%d.%s", action, done, failed, strings.Join(list, "-"))
	http.SetCookie(w, &http.Cookie{Name: bulkCookie, Value: value, Path: "/admin/vendors", MaxAge: 300, HttpOnly: true,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// takeBulkResult reads (and forgets) the last decision's result.
func (s *Server) takeBulkResult(w http.ResponseWriter, r *http.Request, c bo) *bulkResult {
	ck, err := r.Cookie(bulkCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: bulkCookie, Value: "", Path: "/admin/vendors", MaxAge: -1, HttpOnly: true,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	parts := strings.SplitN(ck.Value, ".", 4)
	if len(parts) != 4 || !slices.Contains(bulkActions, vendor.Action(parts[0])) {
		return nil
	}
	action := vendor.Action(parts[0])
	done, err1 := strconv.Atoi(parts[1])
	failed, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || done < 0 || failed < 0 {
		return nil
	}
	res := &bulkResult{Done: i18n.N(c.Loc, "console.vendors.bulk_done", done, map[string]any{"action": vendorActionLabel(c.Loc, action)})}
	listed := 0
	for _, item := range strings.Split(parts[3], "-") {
		if len(item) < 2 {
			continue
		}
		id, err := strconv.ParseInt(item[:len(item)-1], 10, 64)
		if err != nil {
			continue
		}
		listed++
		f := bulkFailure{Name: "#" + strconv.FormatInt(id, 10), URL: fmt.Sprintf("/admin/vendors/%d", id)}
		v, err := s.Vendors.Get(r.Context(), c.User, strconv.FormatInt(id, 10))
		switch {
		case err != nil:
			f.URL, f.Why = "", i18n.T(c.Loc, "console.vendors.gone", nil)
		case item[len(item)-1] == 'c':
			f.Name = v.DisplayName(c.Loc)
			f.Why = i18n.T(c.Loc, "vendor.cannot_"+string(action), map[string]any{"status": vendorStatusLabel(c.Loc, v.Status)})
		default:
			f.Name = v.DisplayName(c.Loc)
			f.Why = i18n.T(c.Loc, "console.vendors.not_done", nil)
		}
		res.Failed = append(res.Failed, f)
	}
	if failed > listed {
		res.More = i18n.N(c.Loc, "console.vendors.more_failed", failed-listed, nil)
	}
	return res
}
