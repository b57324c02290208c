package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"souk/internal/auth"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/vendor"
)

// One vendor in the operator console: everything the applicant sent, the
// documents (downloaded, never shown inline), the history of decisions
// and a form for each decision its status allows.

var _ = notice("console.vendors.done.approve", "console.vendors.done.reject", "console.vendors.done.ask_info",
	"console.vendors.done.suspend", "console.vendors.done.reinstate")

// vendorFact is one line of what the applicant sent.
type vendorFact struct{ Label, Value, Dir string }

// vendorNameRow is the vendor's words in one language.
type vendorNameRow struct{ Locale, Language, Name, Story string }

type vendorDocRow struct{ Kind, File, Size, Added, URL string }

type vendorEventRow struct{ When, Who, What, Change, Note string }

// vendorDecisionForm is one decision the vendor's status allows; Note is nil
// for those that take none.
type vendorDecisionForm struct {
	Action, Label, Class string
	Note                 *formField
}

type vendorFileData struct {
	ID                  int64
	Name                string
	Status, StatusClass string
	InfoRequested       bool
	Facts               []vendorFact
	Names               []vendorNameRow
	Documents           []vendorDocRow
	History             []vendorEventRow
	Decisions           []vendorDecisionForm
	Problems            []problem
	Conflict            string
	AuditURL, QueueURL  string
	NoDecision          string
}

// vendorDecisions are the forms each status offers, in the order shown.
var vendorDecisions = map[vendor.Status][]vendor.Action{
	vendor.Applied:   {vendor.Approve, vendor.AskInfo, vendor.Reject},
	vendor.Approved:  {vendor.Suspend},
	vendor.Suspended: {vendor.Reinstate},
}

// actorNames names the people of a history or a log, each read once.
func (s *Server) actorNames(ctx context.Context, loc string) func(id int64, role string) string {
	seen := map[int64]string{}
	return func(id int64, role string) string {
		if id == 0 {
			return i18n.T(loc, "console.audit.nobody", nil)
		}
		if n, ok := seen[id]; ok {
			return n
		}
		n := "#" + strconv.FormatInt(id, 10)
		if s.Auth != nil {
			if u, err := s.Auth.UserByID(ctx, id); err == nil {
				n = u.Name
				if n == "" {
					n = u.Email
				}
				role = string(u.Role)
			}
		}
		if role != "" {
			n += " (" + i18n.T(loc, "console.audit.role."+role, nil) + ")"
		}
		seen[id] = n
		return n
	}
}

// fileSize is a file's size for people: KB under a megabyte, MB above.
func fileSize(loc string, n int64) string {
	if n < 1<<20 {
		return i18n.T(loc, "console.vendors.size_kb", map[string]any{"size": strconv.FormatInt(max(1, (n+512)/1024), 10)})
	}
	return i18n.T(loc, "console.vendors.size_mb", map[string]any{"size": strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)})
}

// vendorFileOf reads everything the page shows about the vendor idOrSlug.
func (s *Server) vendorFileOf(ctx context.Context, c bo, idOrSlug string) (vendor.Vendor, vendorFileData, error) {
	t := func(key string) string { return i18n.T(c.Loc, key, nil) }
	v, err := s.Vendors.Get(ctx, c.User, idOrSlug)
	if err != nil {
		return v, vendorFileData{}, err
	}
	docs, err := s.Vendors.Documents(ctx, c.User, v.ID)
	if err != nil {
		return v, vendorFileData{}, err
	}
	events, err := s.Vendors.History(ctx, c.User, v.ID)
	if err != nil {
		return v, vendorFileData{}, err
	}
	d := vendorFileData{ID: v.ID, Name: v.DisplayName(c.Loc), Status: vendorStatusLabel(c.Loc, v.Status), StatusClass: vendorStatusBadge[v.Status],
		InfoRequested: v.Status == vendor.Applied && v.InfoRequestedAt != nil, QueueURL: "/admin/vendors"}
	if c.User.Role == auth.RoleAdmin {
		d.AuditURL = fmt.Sprintf("/admin/audit?entity=vendor&entity_id=%d", v.ID)
	}
	add := func(label, value, dir string) {
		if value != "" {
			d.Facts = append(d.Facts, vendorFact{Label: label, Value: value, Dir: dir})
		}
	}
	add(t("console.vendors.kind"), t("sell.kind."+string(v.Kind)), "")
	add(t("sell.legal_name"), v.LegalName, "auto")
	add(t("sell.cooperative_number"), v.CooperativeNumber, "ltr")
	add(t("sell.ice"), v.ICE, "ltr")
	add(t("sell.region"), regionName(v.Region, c.Loc), "")
	add(t("sell.city"), v.City, "auto")
	add(t("console.vendors.contact"), v.ContactName, "auto")
	add(t("account.email"), v.Email, "ltr")
	add(t("shop.phone"), v.Phone, "ltr")
	add(t("sell.rib"), v.RIB, "ltr")
	add(t("console.vendors.language"), localeNames[v.Locale], "")
	add(t("console.vendors.applied_on"), when(v.CreatedAt), "ltr")
	add(t("console.vendors.updated_on"), when(v.UpdatedAt), "ltr")
	if v.InfoRequestedAt != nil {
		add(t("console.vendors.info_requested_on"), when(*v.InfoRequestedAt), "ltr")
	}
	if v.ApprovedAt != nil {
		add(t("console.vendors.approved_on"), when(*v.ApprovedAt), "ltr")
	}
	add(t("console.vendors.review_note"), v.ReviewNote, "auto")
	for _, l := range i18n.Locales {
		if tx, ok := v.Texts[l]; ok {
			d.Names = append(d.Names, vendorNameRow{Locale: l, Language: localeNames[l], Name: tx.DisplayName, Story: tx.Story})
		}
	}
	for _, doc := range docs {
		d.Documents = append(d.Documents, vendorDocRow{Kind: t("sell.doc." + string(doc.Kind)), File: doc.Filename,
			Size: fileSize(c.Loc, doc.Size), Added: when(doc.CreatedAt), URL: fmt.Sprintf("/admin/vendors/%d/documents/%d", v.ID, doc.ID)})
	}
	who := s.actorNames(ctx, c.Loc)
	for i := len(events) - 1; i >= 0; i-- { // newest first
		e := events[i]
		h := vendorEventRow{When: when(e.At), What: vendorActionLabel(c.Loc, e.Action), Note: e.Note}
		if e.ActorID == 0 && e.Action == "applied" {
			h.Who = t("console.vendors.applicant")
		} else {
			h.Who = who(e.ActorID, "")
		}
		if e.From != "" && e.From != e.To {
			h.Change = vendorStatusLabel(c.Loc, e.From) + " → " + vendorStatusLabel(c.Loc, e.To)
		}
		d.History = append(d.History, h)
	}
	for _, a := range vendorDecisions[v.Status] {
		f := vendorDecisionForm{Action: string(a), Label: vendorActionLabel(c.Loc, a)}
		switch a {
		case vendor.Reject:
			f.Class = "danger"
			f.Note = &formField{ID: "note-reject", Name: "note", Label: t("console.vendors.reason"), Help: t("console.vendors.reason_help"), Required: true}
		case vendor.AskInfo:
			f.Class = "secondary"
			f.Note = &formField{ID: "note-ask_info", Name: "note", Label: t("console.vendors.question"), Help: t("console.vendors.reason_help"), Required: true}
		case vendor.Suspend:
			f.Class = "danger"
			f.Note = &formField{ID: "note-suspend", Name: "note", Label: t("console.vendors.suspend_note"), Help: t("console.vendors.reason_help")}
		}
		d.Decisions = append(d.Decisions, f)
	}
	if len(d.Decisions) == 0 {
		d.NoDecision = t("console.vendors.no_decision")
	}
	return v, d, nil
}

func (s *Server) vendorFile(w http.ResponseWriter, r *http.Request, c bo) error {
	_, d, err := s.vendorFileOf(r.Context(), c, r.PathValue("vendor"))
	if err != nil {
		return err
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_vendor", d.Name, d)
}

// reviewVendor takes one decision on one vendor (vendor.Review). A
// decision its status no longer allows (another operator was quicker)
// comes back as 409 with the reason; a rejection without its reason as
// 422 with the field named. Either way nothing changes.
func (s *Server) reviewVendor(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx := r.Context()
	v, err := s.Vendors.Get(ctx, c.User, r.PathValue("vendor"))
	if err != nil {
		return err
	}
	action, note := vendor.Action(r.PostFormValue("action")), r.PostForm.Get("note")
	_, err = s.Vendors.Review(ctx, c.User, v.ID, vendor.Decision{Action: action, Note: note})
	if err == nil {
		return done(w, r, fmt.Sprintf("/admin/vendors/%d", v.ID), "console.vendors.done."+string(action))
	}
	var e *errs.Error
	if !errors.As(err, &e) || (e.Code != errs.Conflict && (e.Code != errs.Invalid || len(e.Fields) == 0)) {
		return err
	}
	v, d, rerr := s.vendorFileOf(ctx, c, strconv.FormatInt(v.ID, 10))
	if rerr != nil {
		return rerr
	}
	status := http.StatusConflict
	if e.Code == errs.Conflict {
		// Said with the status the vendor has now, in words.
		d.Conflict = i18n.T(c.Loc, e.Message, map[string]any{"status": vendorStatusLabel(c.Loc, v.Status)})
	} else {
		status = http.StatusUnprocessableEntity
		var form []*formField
		for i := range d.Decisions {
			if n := d.Decisions[i].Note; n != nil && d.Decisions[i].Action == string(action) {
				n.Value = note
				form = append(form, n)
			}
		}
		d.Problems = fieldProblems(c.Loc, e.Fields, form)
		for k, p := range e.Fields {
			if k != "note" || len(form) == 0 {
				label := i18n.T(c.Loc, "console.vendors.decision", nil)
				if k == "note" {
					label = i18n.T(c.Loc, "console.vendors.note", nil)
				}
				d.Problems = append(d.Problems, problem{ID: "decide", Text: i18n.T(c.Loc, "shop.field_error",
					map[string]any{"field": label, "problem": i18n.T(c.Loc, p, nil)})})
			}
		}
	}
	r2 := r.Clone(ctx)
	r2.URL.Path = fmt.Sprintf("/admin/vendors/%d", v.ID)
	return s.renderBO(w, r2, c, status, "admin_vendor", d.Name, d)
}

// vendorDocument sends one of an applicant's documents as a download:
// its stored type, never sniffed, never shown inline (a PDF or an image
// from the public could carry anything), never cached.
func (s *Server) vendorDocument(w http.ResponseWriter, r *http.Request, c bo) error {
	vid, err1 := strconv.ParseInt(r.PathValue("vendor"), 10, 64)
	did, err2 := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	if err1 != nil || err2 != nil {
		return errs.NotFoundE("document")
	}
	doc, data, err := s.Vendors.Document(r.Context(), c.User, vid, did)
	if err != nil {
		return err
	}
	ct := doc.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", attachmentDisposition(doc.Filename))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(data)
	return err
}

// attachmentDisposition is a Content-Disposition that downloads a file under name:
// an ASCII fallback in filename, the exact name in filename* (RFC 6266,
// RFC 8187 encoding), so that an Arabic name arrives whole and a quote or
// a line break cannot end the header.
func attachmentDisposition(name string) string {
	var ascii, enc strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + enc.String()
}
